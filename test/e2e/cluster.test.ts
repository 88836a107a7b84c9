import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/domain/index.js';
import type { WorkerCounts } from '../../src/cluster/index.js';
import {
  loadClusterConfig,
  startClusterRole,
  type ClusterConfig,
  type RunningRole,
} from '../../src/runtime/index.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { deleteEventLog, openEventLog } from '../../src/store/nats/index.js';
import { redisKeys } from '../../src/store/redis/index.js';

const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
const PG = process.env['STILLWATCH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATS = 'nats://127.0.0.1:4222';
// 20 minutes of event time between passes, in both modes: 144 passes over the 2 simulated days.
const EVERY_MIN = 20;
const run = (args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

const id = randomBytes(4).toString('hex');
const namespaces: string[] = [];
const schemas: string[] = [];
let dir = '';
let input = '';
let expected = '';
let embeddedCounts: { duplicates: number; by_kind: { event: number } };

function env(tag: string): Record<string, string> {
  const ns = `swt${id}${tag}`;
  const schema = `sw_test_cluster_${id}_${tag}`;
  namespaces.push(ns);
  schemas.push(schema);
  return {
    STILLWATCH_NATS_URL: NATS,
    STILLWATCH_NATS_NS: ns,
    STILLWATCH_POSTGRES_URL: PG,
    STILLWATCH_POSTGRES_SCHEMA: schema,
    STILLWATCH_PARTITIONS: '2',
    STILLWATCH_CORRELATE_EVERY_MS: String(EVERY_MIN * 60_000),
  };
}

type Outcome = { accounts: AccountResult[]; counts: WorkerCounts };
async function startCorrelator(
  config: ClusterConfig,
  roles: RunningRole[],
): Promise<{ outcome: Promise<Outcome> }> {
  let done: (o: Outcome) => void = () => undefined;
  const outcome = new Promise<Outcome>((r) => (done = r));
  const role = await startClusterRole('correlator', config, {
    onResults: (accounts, counts) => done({ accounts, counts }),
  });
  roles.push(role);
  // A role that ends before the results is a failure (its promise rejects, or it stopped early).
  const ended = role.done.then(() => Promise.reject(new Error('correlator ended before the results')));
  ended.catch(() => undefined);
  // Wrapped: an async function returning a bare promise would wait for it.
  return { outcome: Promise.race([outcome, ended]) };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sw-cluster-'));
  run(['sim', '--seed', '3', '--scale', '0.1', '--days', '2', '--out', join(dir, 'sim')]);
  input = join(dir, 'sim', 'events.ndjson');
  run([
    'scan',
    input,
    '--out',
    join(dir, 'embedded'),
    '--workers',
    '1',
    '--correlate-every',
    String(EVERY_MIN),
    '--quiet',
  ]);
  expected = readFileSync(join(dir, 'embedded', 'accounts.ndjson'), 'utf8');
  embeddedCounts = (
    JSON.parse(readFileSync(join(dir, 'embedded', 'summary.json'), 'utf8')) as {
      counts: typeof embeddedCounts;
    }
  ).counts;
});

afterAll(async () => {
  for (const ns of namespaces) {
    const log = await openEventLog({ servers: NATS, ns });
    await deleteEventLog(log);
    await log.close();
  }
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await c.end();
  // The correlator also published its decisions to Redis (default URL, namespace = NATS ns).
  const redis = new Redis(process.env['STILLWATCH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  for (const ns of namespaces) {
    const k = redisKeys(ns);
    await redis.del(k.version, k.epoch, k.log, ...Object.values(k.hashes));
  }
  redis.disconnect();
});

const asNdjson = (accounts: AccountResult[]): string =>
  accounts.map((a) => `${JSON.stringify(a)}\n`).join('');

describe('scale-out mode over NATS JetStream and PostgreSQL', () => {
  it("gives the embedded scan's accounts with 2 partitions on 2 workers and a correlator", async () => {
    const e = env('eq');
    const config = { ...loadClusterConfig(undefined, e), inputs: [input] };
    const roles: RunningRole[] = [];
    try {
      const { outcome } = await startCorrelator(config, roles);
      roles.push(await startClusterRole('worker', { ...config, owned: [0] }));
      roles.push(await startClusterRole('worker', { ...config, owned: [1] }));
      const ingest = await startClusterRole('ingest', config);
      roles.push(ingest);
      await ingest.done;
      const { accounts, counts } = await outcome;
      expect(expected.length).toBeGreaterThan(0);
      expect(asNdjson(accounts)).toBe(expected);
      expect(counts.events).toBe(embeddedCounts.by_kind.event);
      expect(counts.duplicates).toBe(embeddedCounts.duplicates);
      // PostgreSQL holds the same rows.
      const store = await createPostgresStore({
        connection: PG,
        schema: e['STILLWATCH_POSTGRES_SCHEMA']!,
        max: 1,
      });
      try {
        expect((await store.listAccounts({ limit: 1 })).total).toBe(accounts.length);
        const first = accounts[0]!;
        expect(await store.getAccount(first.account, first.end_user)).toEqual(first);
      } finally {
        await store.close();
      }
    } finally {
      for (const r of roles) await r.stop().catch(() => undefined);
    }
  });

  it('loses and double-counts no event when a worker process is killed with SIGKILL mid-stream and restarted', async () => {
    const e = env('kill');
    const config = { ...loadClusterConfig(undefined, e), inputs: [input] };
    const roles: RunningRole[] = [];
    const children: ChildProcess[] = [];
    const spawnWorker = (): {
      child: ChildProcess;
      progress: (pred: (events: number) => boolean) => Promise<number>;
    } => {
      const child = spawn(process.execPath, [CLI, 'cluster', 'worker', '--progress'], {
        env: { ...process.env, ...e },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const perPartition = new Map<number, number>();
      const waiters: Array<() => void> = [];
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = JSON.parse(line) as { partition: number; counts: WorkerCounts };
        perPartition.set(m.partition, m.counts.events);
        for (const w of waiters.splice(0)) w();
      });
      const total = (): number => [...perPartition.values()].reduce((a, b) => a + b, 0);
      const progress = async (pred: (events: number) => boolean): Promise<number> => {
        while (!pred(total())) await new Promise<void>((r) => waiters.push(r));
        return total();
      };
      return { child, progress };
    };
    try {
      const { outcome } = await startCorrelator(config, roles);
      const ingest = await startClusterRole('ingest', config);
      roles.push(ingest);
      await ingest.done;
      const first = spawnWorker();
      const atKill = await first.progress((n) => n >= 500);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      // Killed mid-stream: well short of every event.
      expect(atKill).toBeLessThan(embeddedCounts.by_kind.event);
      spawnWorker();
      const { accounts, counts } = await outcome;
      expect(counts.events).toBe(embeddedCounts.by_kind.event);
      expect(counts.duplicates).toBe(embeddedCounts.duplicates);
      expect(asNdjson(accounts)).toBe(expected);
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const r of roles) await r.stop().catch(() => undefined);
    }
  }, 150_000);
});
