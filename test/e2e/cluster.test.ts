import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/domain/index.js';
import { loadClusterConfig, startClusterRole, type RunningRole } from '../../src/runtime/index.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { deleteEventLog, openEventLog } from '../../src/store/nats/index.js';

const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
const PG = process.env['STILLWATCH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = (args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

const id = randomBytes(4).toString('hex');
const ns = `swt${id}`;
const schema = `sw_test_cluster_${id}`;
let dir = '';
let input = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sw-cluster-'));
  run(['sim', '--seed', '3', '--scale', '0.1', '--days', '2', '--out', join(dir, 'sim')]);
  input = join(dir, 'sim', 'events.ndjson');
  run(['scan', input, '--out', join(dir, 'embedded'), '--workers', '1', '--quiet']);
});

afterAll(async () => {
  const log = await openEventLog({ servers: 'nats://127.0.0.1:4222', ns });
  await deleteEventLog(log);
  await log.close();
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

describe('scale-out mode over NATS JetStream and PostgreSQL', () => {
  it("gives the embedded scan's accounts with 2 partitions on 2 workers and a correlator", async () => {
    const config = loadClusterConfig(undefined, {
      STILLWATCH_NATS_NS: ns,
      STILLWATCH_POSTGRES_URL: PG,
      STILLWATCH_POSTGRES_SCHEMA: schema,
      STILLWATCH_PARTITIONS: '2',
    });
    config.inputs = [input];
    const roles: RunningRole[] = [];
    try {
      let resolveResults: (a: AccountResult[]) => void = () => undefined;
      const results = new Promise<AccountResult[]>((r) => (resolveResults = r));
      roles.push(await startClusterRole('correlator', config, { onResults: (a) => resolveResults(a) }));
      roles.push(await startClusterRole('worker', { ...config, owned: [0] }));
      roles.push(await startClusterRole('worker', { ...config, owned: [1] }));
      const ingest = await startClusterRole('ingest', config);
      roles.push(ingest);
      await ingest.done;
      const failed = Promise.race(roles.map((r) => r.done.then(() => new Promise<never>(() => undefined))));
      const accounts = await Promise.race([results, failed]);
      const expected = readFileSync(join(dir, 'embedded', 'accounts.ndjson'), 'utf8');
      expect(accounts.map((a) => `${JSON.stringify(a)}\n`).join('')).toBe(expected);
      // PostgreSQL holds the same rows.
      const store = await createPostgresStore({ connection: PG, schema, max: 1 });
      try {
        const n = expected.trim().split('\n').length;
        expect((await store.listAccounts({ limit: 1 })).total).toBe(n);
        const first = JSON.parse(expected.split('\n')[0]!) as AccountResult;
        expect(await store.getAccount(first.account, first.end_user)).toEqual(first);
      } finally {
        await store.close();
      }
    } finally {
      for (const r of roles) await r.stop().catch(() => undefined);
    }
  });
});
