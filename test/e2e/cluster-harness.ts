import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { AccountResult } from '../../src/domain/index.js';
import {
  loadClusterConfig,
  startClusterRole,
  type ClusterConfig,
  type ClusterHooks,
  type ClusterSummary,
  type RunningRole,
} from '../../src/runtime/index.js';
import { deleteEventLog, openEventLog } from '../../src/store/nats/index.js';

/** Shared by the scale-out tests: real NATS and PostgreSQL, a namespace and schema per case. */
export const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
export const PG = process.env['STILLWATCH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const NATS = 'nats://127.0.0.1:4222';
export const run = (args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

export interface Embedded {
  accounts: string;
  summary: { counts: Record<string, number> & { by_kind: { event: number } }; balanced: boolean };
  deadletters: Array<Record<string, unknown>>;
}

/** The embedded scan's outputs for `input` (partitioned path, one worker thread, as the cluster routes). */
export function embeddedScan(input: string, out: string, everyMin: number): Embedded {
  run(['scan', input, '--out', out, '--workers', '1', '--correlate-every', String(everyMin), '--quiet']);
  return {
    accounts: readFileSync(join(out, 'accounts.ndjson'), 'utf8'),
    summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Embedded['summary'],
    deadletters: readFileSync(join(out, 'deadletter.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export const asNdjson = (accounts: AccountResult[]): string =>
  accounts.map((a) => `${JSON.stringify(a)}\n`).join('');

/** Namespaces and schemas made by one test file, removed by `cleanup`. */
export function clusterScope(prefix: string): {
  config: (tag: string, over?: Partial<ClusterConfig>, pgUrl?: string) => ClusterConfig;
  cleanup: () => Promise<void>;
} {
  const id = randomBytes(4).toString('hex');
  const made: Array<{ ns: string; schema: string; url: string }> = [];
  return {
    config(tag, over = {}, pgUrl = PG) {
      const ns = `swt${prefix}${id}${tag}`;
      const schema = `sw_test_${prefix}_${id}_${tag}`;
      made.push({ ns, schema, url: pgUrl });
      return {
        ...loadClusterConfig(undefined, {
          STILLWATCH_NATS_URL: NATS,
          STILLWATCH_NATS_NS: ns,
          STILLWATCH_POSTGRES_URL: pgUrl,
          STILLWATCH_POSTGRES_SCHEMA: schema,
          STILLWATCH_PARTITIONS: '2',
        }),
        ...over,
      };
    },
    async cleanup() {
      for (const { ns, schema, url } of made) {
        const log = await openEventLog({ servers: NATS, ns });
        await deleteEventLog(log);
        await log.close();
        const c = new pg.Client({ connectionString: url });
        try {
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } catch {
          // A private server already gone takes its schemas with it.
        } finally {
          await c.end().catch(() => undefined);
        }
      }
    },
  };
}

export type Final = { accounts: AccountResult[]; summary: ClusterSummary };

/** Starts a correlator and one worker per partition in this process; `final` settles with the finish results. */
export async function startRoles(
  config: ClusterConfig,
  hooks: Omit<ClusterHooks, 'onResults'> = {},
): Promise<{ roles: RunningRole[]; final: Promise<Final> }> {
  const roles: RunningRole[] = [];
  let done: (f: Final) => void = () => undefined;
  const final = new Promise<Final>((r) => (done = r));
  const correlator = await startClusterRole('correlator', config, {
    ...hooks,
    onResults: (accounts, _counts, summary) => done({ accounts, summary }),
  });
  roles.push(correlator);
  const ended = correlator.done.then(() => Promise.reject(new Error('correlator ended before the results')));
  ended.catch(() => undefined);
  for (let p = 0; p < config.partitions; p++)
    roles.push(await startClusterRole('worker', { ...config, owned: [p] }));
  const raced = Promise.race([final, ended]);
  // A test of an endless stream never awaits it; stopping the correlator must not surface as unhandled.
  raced.catch(() => undefined);
  return { roles, final: raced };
}

export async function stopAll(roles: RunningRole[]): Promise<void> {
  for (const r of roles) await r.stop().catch(() => undefined);
}
