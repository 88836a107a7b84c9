import type { Finding, SignalEvidence } from '../domain/index.js';
import type { DetectContext } from './types.js';

/** 0 below `lo`, 1 above `hi`, linear between (hi < lo inverts the direction). */
export function ramp(x: number, lo: number, hi: number): number {
  if (hi === lo) return x >= hi ? 1 : 0;
  const t = (x - lo) / (hi - lo);
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

/** Probability that at least one of independent sub-signals fires. */
export function noisyOr(parts: readonly number[]): number {
  let keep = 1;
  for (const p of parts) keep *= 1 - Math.min(1, Math.max(0, p));
  return 1 - keep;
}

/** Shrinks a share-based score while the sample is small: n/(n+k). */
export function confidence(n: number, k: number): number {
  return n <= 0 ? 0 : n / (n + k);
}

/**
 * One signal's evidence. The baseline is the benign p99 from calibration when the
 * calibration file has it, else the onset of this detector's score from its parameters.
 */
export function signal(
  ctx: DetectContext,
  name: string,
  value: number,
  onset: number,
  unit?: string,
): SignalEvidence {
  const b = ctx.baselines[name];
  const out: SignalEvidence =
    b !== undefined
      ? {
          value: round(value),
          baseline: round(b.p99),
          baseline_note: 'p99 of benign reference traffic (calibration file)',
        }
      : {
          value: round(value),
          baseline: round(onset),
          baseline_note: "onset of this detector's score (default parameters)",
        };
  if (unit !== undefined) out.unit = unit;
  return out;
}

export function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : 0;
}

export function finding(
  detector: string,
  score: number,
  explanation: string,
  signals: Finding['signals'],
  eventIds: readonly string[],
  prompts: readonly string[],
): Finding {
  return {
    detector,
    score: round(Math.min(1, Math.max(0, score))),
    explanation,
    signals,
    event_ids: eventIds.slice(0, 5),
    sample_prompts: prompts.slice(0, 3),
  };
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
