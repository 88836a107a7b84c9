import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/domain/index.js';
import { runIngest } from '../../src/cluster/index.js';
import type { ClusterSummary } from '../../src/runtime/index.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { openEventLog } from '../../src/store/nats/index.js';
import { clusterScope, embeddedScan, NATS, PG, run, startRoles, stopAll } from './cluster-harness.js';

const EVERY_MIN = 20;
const EVERY_TICKS = 6;
const scope = clusterScope('per');
afterAll(() => scope.cleanup());

describe('periodic results on an endless stream', () => {
  it('writes current account results to PostgreSQL every N ticks, with no finish marker ever sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-cluster-per-'));
    run(['sim', '--seed', '3', '--scale', '0.1', '--days', '2', '--out', join(dir, 'sim')]);
    const input = join(dir, 'sim', 'events.ndjson');
    const embedded = embeddedScan(input, join(dir, 'embedded'), EVERY_MIN);
    const final = new Map(
      embedded.accounts
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AccountResult)
        .map((a) => [`${a.account}\u0000${a.end_user ?? ''}`, a]),
    );

    const config = {
      ...scope.config('a'),
      correlateEveryMs: EVERY_MIN * 60_000,
      resultsEveryTicks: EVERY_TICKS,
    };
    const emitted: ClusterSummary[] = [];
    const waiters: Array<() => void> = [];
    const { roles } = await startRoles(config, {
      onPeriodicResults: (_accounts, summary) => {
        emitted.push(summary);
        for (const w of waiters.splice(0)) w();
      },
    });
    const log = await openEventLog({ servers: NATS, ns: config.nats.ns });
    try {
      // A live source: lines and ticks, but no final pass and no finish marker.
      const ingest = await runIngest(log, {
        inputs: [input],
        partitions: config.partitions,
        everyMs: config.correlateEveryMs,
        finish: false,
      });
      const lastEmission = Math.floor(ingest.ticks / EVERY_TICKS) * EVERY_TICKS - 1;
      while (!emitted.some((s) => s.tick.n === lastEmission)) await new Promise<void>((r) => waiters.push(r));
      // Sets that arrive while a write runs are merged into the next: at most one per emission.
      expect(emitted.length).toBeLessThanOrEqual(Math.floor(ingest.ticks / EVERY_TICKS));
      expect(emitted.every((s) => !s.final)).toBe(true);

      const store = await createPostgresStore({ connection: PG, schema: config.postgres.schema!, max: 1 });
      try {
        const rows = (await store.listAccounts({ limit: 100_000, sort: 'account' })).items;
        const scans = await store.listScans();
        // Results are in PostgreSQL although the stream never finished.
        expect(rows.length).toBeGreaterThan(final.size * 0.9);
        expect(scans.map((s) => s.id)).toEqual(['cluster:periodic']);
        expect(scans[0]!.ts).toBe(emitted.at(-1)!.tick.now);
        // They are the stream's state at that point: what the embedded scan ends with, short of
        // the events after the last emission and the end-of-input catch-up evaluation.
        let flagged = 0;
        for (const r of rows) {
          const f = final.get(`${r.account}\u0000${r.end_user ?? ''}`);
          expect(f, r.account).toBeDefined();
          expect(r.exchanges).toBeLessThanOrEqual(f!.exchanges);
          expect(r.first_seen_ts).toBe(f!.first_seen_ts);
          if (r.flagged) {
            flagged++;
            // A flag, once raised, is final: same time and evidence count as at the end.
            expect(f!.flagged).toBe(true);
            expect(r.first_flagged_ts).toBe(f!.first_flagged_ts);
            expect(r.exchanges_before_flag).toBe(f!.exchanges_before_flag);
          }
        }
        expect(flagged).toBeGreaterThan(0);
        const total = rows.reduce((s, r) => s + (r.end_user === undefined ? r.exchanges : 0), 0);
        expect(total).toBeGreaterThan(embedded.summary.counts.by_kind.event * 0.8);
      } finally {
        await store.close();
      }
    } finally {
      await log.close();
      await stopAll(roles);
    }
  }, 120_000);
});
