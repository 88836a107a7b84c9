import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AccountResult } from '../domain/index.js';
import { UsageError } from '../domain/index.js';
import { loadCalibration, type Calibration } from '../detectors/index.js';
import type { WorkerCounts } from '../cluster/index.js';
import type { EventLog } from '../store/nats/index.js';
import type { ClusterSummary } from './cluster-results.js';
import { packagePath } from './paths.js';
import { readPolicy } from './policy-file.js';
import { ApiSettings, GatewaySettings, RedisSettings } from './service-settings.js';

export { finalizeResults, persistResults } from './cluster-results.js';
export type { ClusterSummary } from './cluster-results.js';

export const ClusterRole = z.enum(['ingest', 'worker', 'correlator', 'api', 'gateway']);
export type ClusterRole = z.infer<typeof ClusterRole>;

export const ClusterConfig = z.object({
  nats: z
    .object({
      servers: z.string().min(1).default('nats://127.0.0.1:4222'),
      ns: z
        .string()
        .regex(/^[a-z0-9_-]+$/i)
        .default('sw'),
    })
    .prefault({}),
  postgres: z
    .object({
      url: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/test'),
      schema: z.string().min(1).optional(),
    })
    .prefault({}),
  partitions: z.number().int().min(1).max(100_000).default(8),
  /** Partitions a worker process owns (default: all). */
  owned: z.array(z.number().int().nonnegative()).optional(),
  correlateEveryMs: z
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  dedupWindowMs: z.number().int().positive().optional(),
  /**
   * Workers send the results of changed accounts every this many ticks and the correlator
   * writes them, so an endless stream has current results in PostgreSQL (12 × 5 min: hourly
   * in event time); 0: only at a finish marker.
   */
  resultsEveryTicks: z.number().int().nonnegative().default(12),
  inputs: z.array(z.string().min(1)).default([]),
  calibrationFile: z.string().optional(),
  policyFile: z.string().optional(),
  redis: RedisSettings,
  api: ApiSettings,
  gateway: GatewaySettings,
});
export type ClusterConfig = z.infer<typeof ClusterConfig>;

/** STILLWATCH_* variables override the file (12-factor deployments set secrets and addresses there). */
const ENV: Array<[string, (c: Record<string, unknown>, v: string) => void]> = [
  ['STILLWATCH_NATS_URL', (c, v) => (c['nats'] = { ...(c['nats'] as object), servers: v })],
  ['STILLWATCH_NATS_NS', (c, v) => (c['nats'] = { ...(c['nats'] as object), ns: v })],
  ['STILLWATCH_POSTGRES_URL', (c, v) => (c['postgres'] = { ...(c['postgres'] as object), url: v })],
  ['STILLWATCH_POSTGRES_SCHEMA', (c, v) => (c['postgres'] = { ...(c['postgres'] as object), schema: v })],
  ['STILLWATCH_PARTITIONS', (c, v) => (c['partitions'] = Number(v))],
  ['STILLWATCH_OWNED', (c, v) => (c['owned'] = v.split(',').filter(Boolean).map(Number))],
  ['STILLWATCH_CORRELATE_EVERY_MS', (c, v) => (c['correlateEveryMs'] = Number(v))],
  ['STILLWATCH_RESULTS_EVERY_TICKS', (c, v) => (c['resultsEveryTicks'] = Number(v))],
  ['STILLWATCH_POLICY_FILE', (c, v) => (c['policyFile'] = v)],
  ...section('redis', {
    URL: ['url', String],
    NS: ['namespace', String],
    MAX_STALENESS_MS: ['maxStalenessMs', Number],
    FAIL_MODE: ['failMode', String],
    REFRESH_MS: ['refreshMs', Number],
    RESYNC_EVERY_MS: ['resyncEveryMs', Number],
  }),
  ...section('api', {
    HOST: ['host', String],
    PORT: ['port', Number],
    TOKENS_FILE: ['tokensFile', String],
    CONSOLE_DIR: ['consoleDir', String],
  }),
  ...section('gateway', {
    HOST: ['host', String],
    PORT: ['port', Number],
    UPSTREAM: ['upstream', String],
    KEYS_FILE: ['keysFile', String],
    EVENTS_FILE: ['eventsFile', String],
  }),
];

/** STILLWATCH_<SECTION>_<NAME> → config[section][field]. */
function section(
  name: string,
  fields: Record<string, [string, (v: string) => unknown]>,
): Array<[string, (c: Record<string, unknown>, v: string) => void]> {
  return Object.entries(fields).map(([env, [field, convert]]) => [
    `STILLWATCH_${name.toUpperCase()}_${env}`,
    (c, v) => (c[name] = { ...(c[name] as object), [field]: convert(v) }),
  ]);
}

/** The environment variables that override the config file, for `--help` and the README. */
export const CLUSTER_ENV_VARS: readonly string[] = ENV.map(([name]) => name);

export function loadClusterConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ClusterConfig {
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    if (!existsSync(file)) throw new UsageError(`config file not found: ${file}`);
    const text = readFileSync(file, 'utf8');
    raw = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
  }
  for (const [name, apply] of ENV) {
    const v = env[name];
    if (v !== undefined && v !== '') apply(raw, v);
  }
  const r = ClusterConfig.safeParse(raw);
  if (!r.success)
    throw new UsageError(
      `invalid cluster config: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

function readCalibration(file: string | undefined): Calibration | undefined {
  const path = file ?? packagePath('calibration/default.json');
  if (!existsSync(path)) return undefined;
  return loadCalibration(JSON.parse(readFileSync(path, 'utf8')) as unknown);
}

export interface ClusterHooks {
  /** Operational lines (connections lost and regained, listening addresses); never secrets. */
  log?: (line: string) => void;
  /** Correlator: final results (at a finish marker), once committed to PostgreSQL. */
  onResults?: (accounts: AccountResult[], counts: WorkerCounts, summary: ClusterSummary) => void;
  /** Correlator: periodic results (accounts changed since the last ones), once committed. */
  onPeriodicResults?: (accounts: AccountResult[], summary: ClusterSummary) => void;
  /** Correlator: a PostgreSQL error that will be retried after `delayMs`. */
  onPgRetry?: (error: Error, attempt: number, delayMs: number) => void;
  /** Worker: after each applied message of a partition's event subject (every 50th reported). */
  onProgress?: (partition: number, seq: number, counts: WorkerCounts) => void;
}

export interface RunningRole {
  /** Where the api and gateway roles listen. */
  url?: string;
  done: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts one role of the scale-out mode; `done` settles when it ends (ingest: input exhausted).
 * Each role's implementation is loaded when it starts, so that importing the runtime (e.g. for
 * the embedded scan) does not load NATS, PostgreSQL and the HTTP roles.
 */
export async function startClusterRole(
  role: ClusterRole,
  config: ClusterConfig,
  hooks: ClusterHooks = {},
): Promise<RunningRole> {
  // The HTTP roles read PostgreSQL or Redis, never the event log.
  if (role === 'api') {
    const { startApiRole } = await import('./api-role.js');
    return startApiRole(config, hooks);
  }
  if (role === 'gateway') {
    const { startGatewayRole } = await import('./gateway-role.js');
    return startGatewayRole(config, hooks);
  }
  const { openEventLog } = await import('../store/nats/index.js');
  const { runIngest, runWorker } = await import('../cluster/index.js');
  const log: EventLog = await openEventLog({ servers: config.nats.servers, ns: config.nats.ns });
  let closeStore: (() => Promise<void>) | null = null;
  const stop = async (): Promise<void> => {
    await log.close();
    await closeStore?.();
  };
  let done: Promise<unknown>;
  switch (role) {
    case 'ingest':
      if (config.inputs.length === 0)
        throw new UsageError('ingest needs inputs (config `inputs` or arguments)');
      done = runIngest(log, {
        inputs: config.inputs,
        partitions: config.partitions,
        everyMs: config.correlateEveryMs,
      });
      break;
    case 'worker': {
      const owned = config.owned ?? Array.from({ length: config.partitions }, (_, i) => i);
      if (owned.some((p) => p >= config.partitions))
        throw new UsageError(`owned partitions must be < ${config.partitions}`);
      done = runWorker(log, {
        owned,
        partitions: config.partitions,
        calibration: readCalibration(config.calibrationFile),
        dedupWindowMs: config.dedupWindowMs,
        resultsEveryTicks: config.resultsEveryTicks,
        ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      });
      break;
    }
    case 'correlator': {
      const { startCorrelatorRole } = await import('./cluster-correlator.js');
      const { publishDecisions } = await import('./decision-store.js');
      const role = await startCorrelatorRole(log, {
        url: config.postgres.url,
        schema: config.postgres.schema,
        // Results go to PostgreSQL first, then to Redis for the gateways.
        decorate: (pg) => publishDecisions(config, pg, hooks.log ?? (() => undefined)),
        partitions: config.partitions,
        policy: readPolicy(config.policyFile),
        onResults: (accounts, summary) => hooks.onResults?.(accounts, summary.workers, summary),
        ...(hooks.onPeriodicResults ? { onPeriodicResults: hooks.onPeriodicResults } : {}),
        ...(hooks.onPgRetry ? { onPgRetry: hooks.onPgRetry } : {}),
      });
      closeStore = role.close;
      done = role.done;
      break;
    }
  }
  // Marked handled here; callers that await `done` still see a failure.
  done.catch(() => undefined);
  return { done, stop };
}
