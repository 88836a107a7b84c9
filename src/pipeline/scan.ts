import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountResult, AccountSketch, Campaign, Finding, TrafficEvent } from '../domain/index.js';
import { Ingestor, type DeadLetter, type FormatName, type IngestCounts } from '../ingest/index.js';
import { createAccountStage, type AccountStage, type Calibration } from '../detectors/index.js';
import { createCorrelationStage, type CorrelationStage } from '../correlate/index.js';
import { NdjsonWriter } from './ndjson-writer.js';

/** Matches local sketches against indicators pulled from peers (see intel/). */
export interface SketchMatcher {
  match(sketch: AccountSketch): Finding | null;
}

/** Turns a verdict into the action the policy would take; the default flags to review. */
export type ActionPolicy = (result: AccountResult, campaign: Campaign | undefined) => AccountResult['action'];

export interface ScanOptions {
  inputs: string[];
  outDir: string;
  format?: FormatName;
  calibration?: Calibration;
  /** Event time between two correlation passes (default 5 minutes). */
  correlateEveryMs?: number;
  dedupWindowMs?: number;
  intel?: { matcher: SketchMatcher };
  policy?: ActionPolicy;
  onProgress?: (p: ScanProgress) => void;
}

export interface ScanProgress {
  bytes: number;
  totalBytes: number;
  events: number;
}

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
 */
export async function runScan(options: ScanOptions): Promise<ScanOutcome> {
  const started = Date.now();
  mkdirSync(options.outDir, { recursive: true });
  const deadletters = new NdjsonWriter(join(options.outDir, 'deadletter.ndjson'));
  const ingestor = new Ingestor(options.inputs, {
    ...(options.format ? { format: options.format } : {}),
    ...(options.dedupWindowMs ? { dedupWindowMs: options.dedupWindowMs } : {}),
    onDeadLetter: (d: DeadLetter) => deadletters.write(d),
  });
  const stage = createAccountStage(options.calibration ? { calibration: options.calibration } : {});
  const correlation = createCorrelationStage();
  const loop = new EventTimeLoop(
    stage,
    correlation,
    options.correlateEveryMs ?? 5 * 60_000,
    options.intel?.matcher,
  );
  let bytesReported = 0;
  try {
    for await (const batch of ingestor.records()) {
      for (const r of batch) {
        if (r.kind === 'event') loop.onEvent(r.event);
        else if (r.kind === 'account') stage.onAccount(r.account);
        else stage.onRelease(r.release);
      }
      if (options.onProgress && ingestor.counts.bytes_read - bytesReported > 4 << 20) {
        bytesReported = ingestor.counts.bytes_read;
        options.onProgress({ bytes: bytesReported, totalBytes: ingestor.totalBytes, events: loop.events });
      }
    }
  } finally {
    deadletters.close();
  }
  loop.finish();
  const campaigns = correlation.campaigns();
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const accounts: AccountResult[] = [];
  for (const r of stage.results()) {
    const campaign = correlation.campaignOf(r.account);
    const withCampaign = { ...r, campaign };
    if (options.policy)
      withCampaign.action = options.policy(withCampaign, campaign ? byId.get(campaign) : undefined);
    accounts.push(withCampaign);
  }
  accounts.sort((a, b) =>
    a.account < b.account ? -1 : a.account > b.account ? 1 : (a.end_user ?? '') < (b.end_user ?? '') ? -1 : 1,
  );
  const sketches = loop.latestSketches();
  const summary = summarise(options, started, ingestor, accounts, campaigns, loop);
  writeOutputs(options.outDir, accounts, campaigns, sketches, summary);
  return { counts: ingestor.counts, accounts, campaigns, sketches, summary };
}

/** Drives correlation on event time, so a replayed month behaves exactly like live traffic. */
class EventTimeLoop {
  events = 0;
  passes = 0;
  firstTs: number | null = null;
  lastTs: number | null = null;
  private nextPass: number | null = null;
  private readonly sketches = new Map<string, AccountSketch>();

  constructor(
    private readonly stage: AccountStage,
    private readonly correlation: CorrelationStage,
    private readonly everyMs: number,
    private readonly matcher: SketchMatcher | undefined,
  ) {}

  onEvent(ev: TrafficEvent): void {
    const ts = ev.ts;
    if (this.nextPass === null) {
      this.nextPass = ts + this.everyMs;
      this.firstTs = ts;
    }
    // Late events do not move time backwards; time only advances with the newest event seen.
    if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    if (this.lastTs >= this.nextPass) {
      this.pass(this.nextPass);
      this.nextPass = this.lastTs - (this.lastTs % this.everyMs) + this.everyMs;
    }
    this.events++;
    this.stage.onEvent(ev);
  }

  finish(): void {
    this.pass(this.lastTs ?? 0);
  }

  latestSketches(): AccountSketch[] {
    return [...this.sketches.values()].sort((a, b) => (a.account < b.account ? -1 : 1));
  }

  private pass(now: number): void {
    this.passes++;
    const dirty = this.stage.drainDirtySketches();
    for (const s of dirty) this.sketches.set(s.account, s);
    if (this.matcher) {
      for (const s of dirty) {
        const f = this.matcher.match(s);
        if (f) this.stage.flagExternally(s.account, now, f);
      }
    }
    for (const flag of this.correlation.update(dirty, now))
      this.stage.flagExternally(flag.account, now, flag.finding);
  }
}

function summarise(
  options: ScanOptions,
  started: number,
  ing: Ingestor,
  accounts: AccountResult[],
  campaigns: Campaign[],
  loop: EventTimeLoop,
): ScanSummary {
  const c = ing.counts;
  const duration = Date.now() - started;
  const perAccount = accounts.filter((a) => a.end_user === undefined);
  const perUser = accounts.filter((a) => a.end_user !== undefined);
  return {
    started_at: new Date(started).toISOString(),
    duration_ms: duration,
    events_per_second: Math.round((c.by_kind.event / Math.max(duration, 1)) * 1000),
    inputs: ing.files,
    counts: c,
    balanced: c.records_read === c.accepted + c.dead_lettered + c.duplicates,
    accounts: perAccount.length,
    end_users: perUser.length,
    flagged_accounts: perAccount.filter((a) => a.flagged).length,
    flagged_end_users: perUser.filter((a) => a.flagged).length,
    campaigns: campaigns.length,
    correlation_passes: loop.passes,
    event_time: { first: loop.firstTs, last: loop.lastTs },
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
