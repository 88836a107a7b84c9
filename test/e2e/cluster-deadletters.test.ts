import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startClusterRole } from '../../src/runtime/index.js';
import { listDeadLetters, openPostgresPool } from '../../src/store/postgres/index.js';
import { asNdjson, clusterScope, embeddedScan, PG, run, startRoles, stopAll } from './cluster-harness.js';
import { writeCorrupted } from './corrupted-input.js';

const EVERY_MIN = 20;
const scope = clusterScope('dl');
afterAll(() => scope.cleanup());

describe('dead letters in the scale-out mode', () => {
  it("keeps every bad line with its location in PostgreSQL, as the embedded scan's deadletter.ndjson, and the counts add up", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-cluster-dl-'));
    run(['sim', '--seed', '5', '--scale', '0.1', '--days', '1', '--out', join(dir, 'sim')]);
    const input = join(dir, 'corrupted.ndjson');
    const { corrupted } = writeCorrupted(join(dir, 'sim', 'events.ndjson'), input);
    const embedded = embeddedScan(input, join(dir, 'embedded'), EVERY_MIN);
    expect(embedded.summary.counts['dead_lettered']).toBe(corrupted.size + 1);

    const config = { ...scope.config('a'), correlateEveryMs: EVERY_MIN * 60_000, inputs: [input] };
    const { roles, final } = await startRoles(config);
    try {
      const ingest = await startClusterRole('ingest', config);
      roles.push(ingest);
      await ingest.done;
      const { accounts, summary } = await final;

      // Counts: the cluster's summary balances and matches the embedded scan's.
      const c = embedded.summary.counts;
      expect(summary.balanced).toBe(true);
      expect(summary.records_read).toBe(c['records_read']);
      expect(summary.accepted).toBe(c['accepted']);
      expect(summary.dead_lettered).toBe(c['dead_lettered']);
      expect(summary.duplicates).toBe(c['duplicates']);
      expect(summary.records_read).toBe(summary.accepted + summary.dead_lettered + summary.duplicates);
      // The good lines still give the embedded scan's accounts.
      expect(asNdjson(accounts)).toBe(embedded.accounts);

      // Every dead letter is kept, with the same location, reason and raw start.
      const pool = openPostgresPool(PG, config.postgres.schema, 1);
      try {
        const stored = await listDeadLetters(pool);
        const key = (d: Record<string, unknown>): string => `${String(d['line']).padStart(9, '0')}`;
        const withoutSource = stored.map((d): Record<string, unknown> => {
          const { source, ...rest } = d;
          expect(source).toMatch(/^(ingest|worker:\d+)$/);
          return rest;
        });
        expect(withoutSource.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
          [...embedded.deadletters].sort((a, b) => key(a).localeCompare(key(b))),
        );
        // Lines rejected before routing (unreadable, malformed) and after it (invalid events, by workers).
        const sources = new Set(stored.map((d) => d.source.split(':')[0]));
        expect(sources).toEqual(new Set(['ingest', 'worker']));
        const byLine = new Map(stored.map((d) => [d.line, d]));
        for (const [i, kind] of corrupted) expect(byLine.get(i + 1)?.reason, kind.name).toMatch(kind.reason);
      } finally {
        await pool.end();
      }
    } finally {
      await stopAll(roles);
    }
  }, 120_000);
});
