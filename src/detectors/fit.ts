import type { IngestRecord } from '../domain/index.js';
import { deriveFeatures, LEXICAL_DIM, mmdToBaseline } from '../features/index.js';
import type { AccountFeatures } from '../features/index.js';
import { ageDays } from './account-meta/detect.js';
import { FALLBACK_CALIBRATION } from './calibration.js';
import type { Calibration } from './calibration.js';
import { singleFamilyMax } from './combine.js';
import { buildStage } from './stage.js';
import type { SignalBaseline } from './types.js';

/** Reference traffic, readable twice (baselines first, then scores under those baselines). */
export type RecordSource = () => AsyncIterable<readonly IngestRecord[]>;

export interface FitOptions {
  targetFpr: number;
  /** Added to the benign quantile; documented in the file. */
  margin: number;
  command: string;
  input: string;
  reference?: string;
  /** Units with fewer exchanges do not enter the per-signal baselines (their shares are noise). */
  minExchanges?: number;
  base?: Calibration;
}

export interface FitReport {
  units: number;
  quantileScore: number;
  maxScore: number;
  threshold: number;
  singleFamilyMax: number;
}

/** Signals whose benign distribution is recorded (evidence cites the p99). */
const SIGNALS: Record<string, (f: AccountFeatures) => number | null> = {
  requests_per_day: (f) => f.perDay,
  max_per_hour: (f) => f.maxPerHour,
  output_input_ratio: (f) => f.outInRatio,
  max_tokens_high_share: (f) => f.maxTokensHighShare,
  truncated_share: (f) => f.truncatedShare,
  reasoning_token_share: (f) => f.reasoningTokenShare,
  n_above_1_share: (f) => f.nAbove1Share,
  inter_arrival_cv: (f) => f.gapCv,
  hour_entropy: (f) => f.hourEntropy,
  quiet_hours_share: (f) => f.quietShare,
  concurrency_mean: (f) => f.concurrencyMean,
  max_per_minute: (f) => f.maxPerMinute,
  template_coherence: (f) => (f.samples > 0 ? f.templateCoherence : null),
  near_duplicate_share: (f) => (f.samples > 0 ? f.nearDupShare : null),
  wrapper_share: (f) => (f.samples > 0 ? f.wrapperShare : null),
  distinct_templates: (f) => (f.samples > 0 ? f.distinctTemplates : null),
  reasoning_share: (f) => (f.samples > 0 ? f.reasoningShare : null),
  verbosity_share: (f) => (f.samples > 0 ? f.verbosityShare : null),
  scripts_covered: (f) => (f.samples > 0 ? f.scriptsCovered : null),
  structured_reasoning_share: (f) => (f.samples > 0 ? f.structuredShare : null),
  high_effort_share: (f) => f.highEffortShare,
  grader_share: (f) => (f.samples > 0 ? f.gradingShare : null),
  logprob_share: (f) => f.logprobShare,
  top_category_share: (f) => (f.samples > 0 ? f.topCategoryShare : null),
  categories_covered: (f) => (f.samples > 0 ? f.categoriesCovered : null),
  safety_probe_share: (f) => (f.samples > 0 ? (f.categoryShares['safety'] ?? 0) : null),
  one_shot_share: (f) => f.oneShotShare,
  tool_result_share: (f) => f.toolResultShare,
  release_pivot_share: (f) => f.pivotShare,
  account_age_days: (f) => ageDays(f),
  signup_burst: (f) => f.meta?.signupCluster ?? null,
};

/** Nearest-rank quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

function baseline(values: number[]): SignalBaseline {
  values.sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return { p50: r(quantile(values, 0.5)), p90: r(quantile(values, 0.9)), p99: r(quantile(values, 0.99)) };
}

async function feed(stage: ReturnType<typeof buildStage>['stage'], source: RecordSource): Promise<void> {
  for await (const batch of source()) {
    for (const r of batch) {
      if (r.kind === 'event') stage.onEvent(r.event);
      else if (r.kind === 'account') stage.onAccount(r.account);
      else stage.onRelease(r.release);
    }
  }
}

/** Pass 1: benign baselines of every signal, the benign lexical mean and the benign MMD² distribution. */
async function fitBaselines(
  source: RecordSource,
  base: Calibration,
  minExchanges: number,
): Promise<Calibration> {
  const built = buildStage({ ...base, baselines: {}, lexical_mean: null, threshold: 1 });
  await feed(built.stage, source);
  const values: Record<string, number[]> = {};
  const mean = new Float64Array(LEXICAL_DIM);
  let weight = 0;
  const views = [...built.units()];
  for (const v of views) {
    const s = v.unit.state.sample;
    if (v.endUser === null && s !== null) {
      for (let i = 0; i < LEXICAL_DIM; i++) mean[i] = (mean[i] ?? 0) + (s.lexSum[i] ?? 0);
      weight += s.w;
    }
    if (v.unit.state.exchanges < minExchanges) continue;
    const f = deriveFeatures(v.unit.state, v.meta, null);
    for (const [name, get] of Object.entries(SIGNALS)) {
      const x = get(f);
      if (x !== null && Number.isFinite(x)) (values[name] ??= []).push(x);
    }
  }
  const lexicalMean = Array.from(mean, (x) => (weight > 0 ? Math.round((x / weight) * 1e6) / 1e6 : 0));
  const mmd: number[] = [];
  for (const v of views) {
    const s = v.unit.state.sample;
    if (s !== null && s.n >= 12) mmd.push(mmdToBaseline(s.lexSum, s.w, s.w2, lexicalMean));
  }
  const baselines: Record<string, SignalBaseline> = {};
  for (const [name, xs] of Object.entries(values)) baselines[name] = baseline(xs);
  if (mmd.length > 0) baselines['lexical_mmd'] = baseline(mmd);
  return { ...base, baselines, lexical_mean: weight > 0 ? lexicalMean : null };
}

/**
 * Fits a calibration on benign reference traffic: signal baselines, then the flag threshold
 * as the (1 − target FPR) quantile of the benign units' peak scores plus a margin, never
 * below what a single signal family can reach alone.
 */
export async function fitCalibration(
  source: RecordSource,
  opts: FitOptions,
): Promise<{ calibration: Calibration; report: FitReport }> {
  const base = opts.base ?? FALLBACK_CALIBRATION;
  const withBaselines = await fitBaselines(source, base, opts.minExchanges ?? 20);
  const built = buildStage({ ...withBaselines, threshold: 1 });
  await feed(built.stage, source);
  const scores = [...built.stage.results()].filter((r) => r.exchanges > 0).map((r) => r.score);
  scores.sort((a, b) => a - b);
  const q = quantile(scores, 1 - opts.targetFpr);
  const single = singleFamilyMax(built.ctx.combine);
  const threshold = Math.min(1, Math.max(q + opts.margin, single + opts.margin));
  const round = (x: number): number => Math.round(x * 1e6) / 1e6;
  const calibration: Calibration = {
    ...withBaselines,
    threshold: round(threshold),
    target_fpr: opts.targetFpr,
    margin: opts.margin,
    single_family_max: round(single),
    benign_units: scores.length,
    benign_quantile: round(q),
    produced_by: {
      command: opts.command,
      input: opts.input,
      ...(opts.reference ? { reference: opts.reference } : {}),
    },
  };
  return {
    calibration,
    report: {
      units: scores.length,
      quantileScore: q,
      maxScore: scores[scores.length - 1] ?? 0,
      threshold,
      singleFamilyMax: single,
    },
  };
}
