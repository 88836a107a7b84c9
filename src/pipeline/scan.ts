import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AccountResult, AccountSketch, Campaign } from '../domain/index.js';
import { expandInputs, sniffFileFormat, type IngestCounts } from '../ingest/index.js';
import { createCorrelationStage } from '../correlate/index.js';
import type { CoreOutcome, ScanOptions } from './core.js';
import { runInProcess } from './in-process.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { runPartitioned } from './partitioned.js';

export interface ScanOutcome {
  counts: IngestCounts;
  accounts: AccountResult[];
  campaigns: Campaign[];
  sketches: AccountSketch[];
  summary: ScanSummary;
}

export interface ScanSummary {
  started_at: string;
  duration_ms: number;
  events_per_second: number;
  inputs: string[];
  /** Worker threads that ran the per-account stage (1 = in process). */
  partitions: number;
  counts: IngestCounts;
  /** records_read = accepted + dead_lettered + duplicates, checked, not assumed. */
  balanced: boolean;
  accounts: number;
  end_users: number;
  flagged_accounts: number;
  flagged_end_users: number;
  campaigns: number;
  correlation_passes: number;
  event_time: { first: number | null; last: number | null };
  outputs: Record<string, string>;
}

/**
 * Runs the embedded pipeline over files: ingest → per-account stage → (every few minutes of
 * event time) correlation → propagation, then writes the scan outputs into `outDir`.
 * @example const { summary } = await runScan({ inputs: ['traffic.ndjson'], outDir: 'out/scan' });
 */
export async function runScan(options: ScanOptions): Promise<ScanOutcome> {
  const started = Date.now();
  mkdirSync(options.outDir, { recursive: true });
  const deadletters = new NdjsonWriter(join(options.outDir, 'deadletter.ndjson'));
  const correlation = createCorrelationStage();
  const setup = { options, deadletters, everyMs: options.correlateEveryMs ?? 5 * 60_000 };
  const partitions = await choosePartitions(options);
  let core: CoreOutcome;
  try {
    core =
      partitions > 1
        ? await runPartitioned(setup, correlation, options.intel?.matcher, partitions)
        : await runInProcess(setup, correlation, options.intel?.matcher);
  } finally {
    deadletters.close();
  }
  const campaigns = correlation.campaigns();
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const accounts: AccountResult[] = core.results.map((r) => {
    const campaign = correlation.campaignOf(r.account);
    const withCampaign = { ...r, campaign };
    if (options.policy)
      withCampaign.action = options.policy(withCampaign, campaign ? byId.get(campaign) : undefined);
    return withCampaign;
  });
  accounts.sort(byAccountThenEndUser);
  const sketches = [...core.latest.values()].sort((a, b) => (a.account < b.account ? -1 : 1));
  const summary = summarise(options, started, core, accounts, campaigns);
  writeOutputs(options.outDir, accounts, campaigns, sketches, summary);
  return { counts: core.counts, accounts, campaigns, sketches, summary };
}

function byAccountThenEndUser(a: AccountResult, b: AccountResult): number {
  if (a.account !== b.account) return a.account < b.account ? -1 : 1;
  const x = a.end_user ?? '';
  const y = b.end_user ?? '';
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Native NDJSON inputs at least this large use worker threads by default (when the machine has two cores or more). */
const AUTO_PARTITION_BYTES = 64 * 1024 * 1024;

/**
 * How many worker threads run the per-account stage (1: in this thread). Only native NDJSON is
 * partitioned. By default, large inputs on a multi-core machine use one worker per core (at
 * most 8): on this 2-core machine that measured 12% faster than in process on 155 MiB, with
 * byte-identical outputs; small inputs stay in process, where starting workers costs more than
 * it saves.
 */
async function choosePartitions(options: ScanOptions): Promise<number> {
  const { files, totalBytes } = expandInputs(options.inputs);
  let wanted = options.workers;
  if (wanted === undefined) {
    const cores = availableParallelism();
    if (cores < 2 || totalBytes < AUTO_PARTITION_BYTES) return 1;
    wanted = Math.min(cores, 8);
  }
  return wanted > 1 && (await isNdjsonOnly(options, files)) ? wanted : 1;
}

async function isNdjsonOnly(options: ScanOptions, files: readonly string[]): Promise<boolean> {
  if (options.format !== undefined) return options.format === 'ndjson';
  for (const f of files) if (f === '-' || (await sniffFileFormat(f)) !== 'ndjson') return false;
  return true;
}

function summarise(
  options: ScanOptions,
  started: number,
  core: CoreOutcome,
  accounts: AccountResult[],
  campaigns: Campaign[],
): ScanSummary {
  const c = core.counts;
  const duration = Date.now() - started;
  const perAccount = accounts.filter((a) => a.end_user === undefined);
  const perUser = accounts.filter((a) => a.end_user !== undefined);
  return {
    started_at: new Date(started).toISOString(),
    duration_ms: duration,
    events_per_second: Math.round((c.by_kind.event / Math.max(duration, 1)) * 1000),
    inputs: core.files,
    partitions: core.partitions,
    counts: c,
    balanced: c.records_read === c.accepted + c.dead_lettered + c.duplicates,
    accounts: perAccount.length,
    end_users: perUser.length,
    flagged_accounts: perAccount.filter((a) => a.flagged).length,
    flagged_end_users: perUser.filter((a) => a.flagged).length,
    campaigns: campaigns.length,
    correlation_passes: core.clock.passes,
    event_time: { first: core.clock.firstTs, last: core.clock.lastTs },
    outputs: {
      accounts: join(options.outDir, 'accounts.ndjson'),
      campaigns: join(options.outDir, 'campaigns.json'),
      summary: join(options.outDir, 'summary.json'),
      deadletter: join(options.outDir, 'deadletter.ndjson'),
      sketches: join(options.outDir, 'sketches.ndjson'),
    },
  };
}

function writeOutputs(
  dir: string,
  accounts: AccountResult[],
  campaigns: Campaign[],
  sketches: AccountSketch[],
  summary: ScanSummary,
): void {
  const acc = new NdjsonWriter(join(dir, 'accounts.ndjson'));
  for (const a of accounts) acc.write(a);
  acc.close();
  const sk = new NdjsonWriter(join(dir, 'sketches.ndjson'));
  for (const s of sketches) sk.write(s);
  sk.close();
  writeFileSync(join(dir, 'campaigns.json'), `${JSON.stringify({ campaigns }, null, 1)}\n`);
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
