import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startClusterRole } from '../../src/runtime/index.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { asNdjson, clusterScope, embeddedScan, run, startRoles, stopAll } from './cluster-harness.js';
import {
  privatePostgresUnavailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from './private-postgres.js';

const EVERY_MIN = 20;
const scope = clusterScope('pgr');
let server: PrivatePostgres | null = null;
afterAll(async () => {
  await scope.cleanup();
  server?.destroy();
});

const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`PostgreSQL restart test skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('PostgreSQL restart under the scale-out mode', () => {
  it("carries on after its PostgreSQL server restarts mid-stream and ends with the embedded scan's results", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-cluster-pgr-'));
    run(['sim', '--seed', '3', '--scale', '0.1', '--days', '2', '--out', join(dir, 'sim')]);
    const input = join(dir, 'sim', 'events.ndjson');
    const embedded = embeddedScan(input, join(dir, 'embedded'), EVERY_MIN);
    server = await startPrivatePostgres();
    const pg = server;

    // Results every 3 ticks: the correlator writes throughout the stream, so the restart
    // lands on writes in flight, not on an idle pool.
    const config = {
      ...scope.config('a', {}, pg.url),
      correlateEveryMs: EVERY_MIN * 60_000,
      resultsEveryTicks: 3,
      inputs: [input],
    };
    let retries = 0;
    let periodic = 0;
    let firstWrite: () => void = () => undefined;
    const written = new Promise<void>((r) => (firstWrite = r));
    const { roles, final } = await startRoles(config, {
      onPgRetry: () => retries++,
      onPeriodicResults: () => {
        periodic++;
        firstWrite();
      },
    });
    try {
      const ingest = await startClusterRole('ingest', config);
      roles.push(ingest);
      await written;
      const before = periodic;
      pg.stop();
      await new Promise((r) => setTimeout(r, 1_500));
      pg.start();
      const { accounts, summary } = await final;

      // The restart hit the stream: writes failed and were retried, and more came after.
      expect(retries).toBeGreaterThan(0);
      expect(periodic).toBeGreaterThan(before);
      // Nothing lost or doubled: counts and scores are the embedded scan's.
      expect(summary.events).toBe(embedded.summary.counts.by_kind.event);
      expect(summary.duplicates).toBe(embedded.summary.counts['duplicates']);
      expect(summary.balanced).toBe(true);
      expect(asNdjson(accounts)).toBe(embedded.accounts);
      const store = await createPostgresStore({
        connection: pg.url,
        schema: config.postgres.schema!,
        max: 1,
      });
      try {
        const rows = (await store.listAccounts({ limit: 100_000, sort: 'account' })).items;
        expect(rows.length).toBe(accounts.length);
        const byKey = new Map(rows.map((r) => [`${r.account}\u0000${r.end_user ?? ''}`, r]));
        for (const a of accounts) expect(byKey.get(`${a.account}\u0000${a.end_user ?? ''}`)).toEqual(a);
      } finally {
        await store.close();
      }
    } finally {
      await stopAll(roles);
    }
  }, 150_000);
});
