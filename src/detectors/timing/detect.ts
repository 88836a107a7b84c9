import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, noisyOr, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { timingDefinition } from './definition.js';
import type { TimingParams } from './definition.js';

export function detectTiming(f: AccountFeatures, p: TimingParams, ctx: DetectContext): Finding | null {
  if (f.exchanges < p.minExchanges) return null;
  const regular = f.gapCv === null ? 0 : ramp(f.gapCv, p.gapCvOnset, p.gapCvFull);
  const rhythmWeight = ramp(f.spanHours, p.minSpanHoursForRhythm / 2, p.minSpanHoursForRhythm);
  const noRhythm = ramp(f.quietShare, p.quietOnset, p.quietFull) * rhythmWeight;
  const parallel = ramp(f.concurrencyMean, p.concurrencyOnset, p.concurrencyFull);
  const burst = ramp(f.maxPerMinute, p.burstOnset, p.burstFull);
  // Bursts and parallelism are common in legitimate batch and evaluation jobs: they weigh less
  // than metronome regularity and round-the-clock activity.
  const score =
    noisyOr([0.6 * regular, 0.6 * noRhythm, 0.15 * parallel, 0.15 * burst]) * confidence(f.exchanges, 16);
  if (score < 0.05) return null;
  return finding(
    timingDefinition.id,
    score,
    `inter-arrival CV ${f.gapCv === null ? 'n/a' : f.gapCv.toFixed(2)}, hour-of-day entropy ${f.hourEntropy.toFixed(2)} ` +
      `(quiet-hours traffic ${pct(f.quietShare)} of flat), ${f.concurrencyMean.toFixed(2)} requests in flight on average, ` +
      `peak ${f.maxPerMinute}/minute`,
    {
      inter_arrival_cv: signal(ctx, 'inter_arrival_cv', f.gapCv ?? 1, p.gapCvOnset, 'sd/mean'),
      hour_entropy: signal(ctx, 'hour_entropy', f.hourEntropy, 0.9, 'bits/log2(24)'),
      quiet_hours_share: signal(ctx, 'quiet_hours_share', f.quietShare, p.quietOnset, 'share of flat'),
      concurrency_mean: signal(ctx, 'concurrency_mean', f.concurrencyMean, p.concurrencyOnset, 'requests'),
      max_per_minute: signal(ctx, 'max_per_minute', f.maxPerMinute, p.burstOnset, 'requests/minute'),
    },
    f.evidence.ids,
    [],
  );
}
