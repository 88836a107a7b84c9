import type { AccountResult, AccountSketch, Campaign } from '../domain/index.js';
import type { Calibration } from '../detectors/index.js';
import type { FormatName, IngestCounts } from '../ingest/index.js';
import type { PassClock, SketchMatcher } from './correlation-pass.js';
import type { NdjsonWriter } from './ndjson-writer.js';

/** Turns a verdict into the action the policy would take; the default flags to review. */
export type ActionPolicy = (result: AccountResult, campaign: Campaign | undefined) => AccountResult['action'];

export interface ScanProgress {
  bytes: number;
  totalBytes: number;
  events: number;
}

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
  /**
   * Worker threads for the per-account stage (native NDJSON input); 1 runs it in this thread.
   * Default: one per core (at most 8) for inputs of 64 MiB or more on a multi-core machine, else 1.
   */
  workers?: number;
}

export interface CoreSetup {
  options: ScanOptions;
  deadletters: NdjsonWriter;
  everyMs: number;
}

/** What either execution path (in-process or partitioned) hands back to the scan. */
export interface CoreOutcome {
  counts: IngestCounts;
  files: string[];
  results: AccountResult[];
  latest: Map<string, AccountSketch>;
  clock: PassClock;
  partitions: number;
}
