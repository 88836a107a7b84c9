import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, noisyOr, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { volumeDefinition } from './definition.js';
import type { VolumeParams } from './definition.js';

export function detectVolume(f: AccountFeatures, p: VolumeParams, ctx: DetectContext): Finding | null {
  if (f.exchanges < p.minExchanges) return null;
  const rate = ramp(Math.log10(Math.max(1, f.perDay)), Math.log10(p.perDayOnset), Math.log10(p.perDayFull));
  const outIn = ramp(f.outInRatio, p.outInOnset, p.outInFull);
  const cap = ramp(f.maxTokensHighShare, p.maxTokensHighOnset, p.maxTokensHighFull);
  const trunc = ramp(f.truncatedShare, p.truncatedOnset, p.truncatedFull);
  const rtok = ramp(f.reasoningTokenShare, p.reasoningTokensOnset, p.reasoningTokensFull);
  const nmany = ramp(f.nAbove1Share, p.nAbove1Onset, p.nAbove1Full);
  // Rate needs a long observation to mean anything; response shape is informative early.
  const rateScore = rate * confidence(f.exchanges, 50);
  const shape = noisyOr([0.5 * outIn, 0.45 * cap, 0.35 * trunc, 0.2 * rtok, 0.5 * nmany]) * confidence(f.exchanges, 8);
  const score = noisyOr([0.6 * rateScore, shape]);
  if (score < 0.05) return null;
  return finding(
    volumeDefinition.id,
    score,
    `${Math.round(f.perDay)} requests/day of activity, output/input token ratio ${f.outInRatio.toFixed(2)}, ` +
      `${pct(f.maxTokensHighShare)} with max_tokens at the cap (≥ 16384), ${pct(f.truncatedShare)} cut at the cap, ` +
      `${pct(f.reasoningTokenShare)} reasoning tokens, ${pct(f.nAbove1Share)} with n > 1`,
    {
      requests_per_day: signal(ctx, 'requests_per_day', f.perDay, p.perDayOnset, 'requests/day'),
      max_per_hour: signal(ctx, 'max_per_hour', f.maxPerHour, p.perDayOnset / 24, 'requests/hour'),
      output_input_ratio: signal(ctx, 'output_input_ratio', f.outInRatio, p.outInOnset, 'tokens/token'),
      max_tokens_high_share: signal(ctx, 'max_tokens_high_share', f.maxTokensHighShare, p.maxTokensHighOnset, 'share'),
      truncated_share: signal(ctx, 'truncated_share', f.truncatedShare, p.truncatedOnset, 'share'),
      reasoning_token_share: signal(ctx, 'reasoning_token_share', f.reasoningTokenShare, p.reasoningTokensOnset, 'share'),
      n_above_1_share: signal(ctx, 'n_above_1_share', f.nAbove1Share, p.nAbove1Onset, 'share'),
    },
    f.evidence.ids,
    [],
  );
}
