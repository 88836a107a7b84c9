import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, noisyOr, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { responseShapeDefinition } from './definition.js';
import type { ResponseShapeParams } from './definition.js';

export function detectResponseShape(
  f: AccountFeatures,
  p: ResponseShapeParams,
  ctx: DetectContext,
): Finding | null {
  if (f.exchanges < p.minExchanges) return null;
  const outIn = ramp(f.outInRatio, p.outInOnset, p.outInFull);
  const cap = ramp(f.maxTokensHighShare, p.maxTokensCapOnset, p.maxTokensCapFull);
  const trunc = ramp(f.truncatedShare, p.truncatedOnset, p.truncatedFull);
  const rtok = ramp(f.reasoningTokenShare, p.reasoningTokensOnset, p.reasoningTokensFull);
  const nmany = ramp(f.nAbove1Share, p.nAbove1Onset, p.nAbove1Full);
  const verbose = ramp(f.verbosityShare, p.verbosityOnset, p.verbosityFull) * confidence(f.samples, 6);
  const score =
    noisyOr([0.6 * outIn, 0.55 * cap, 0.35 * trunc, 0.25 * rtok, 0.5 * nmany, 0.5 * verbose]) *
    confidence(f.exchanges, 8);
  if (score < 0.05) return null;
  return finding(
    responseShapeDefinition.id,
    score,
    `output/input token ratio ${f.outInRatio.toFixed(2)}, ${pct(f.maxTokensHighShare)} with max_tokens at the cap, ` +
      `${pct(f.truncatedShare)} cut at the cap, ${pct(f.reasoningTokenShare)} reasoning tokens, ${pct(f.nAbove1Share)} with n > 1, ${pct(f.verbosityShare)} ask for maximal length`,
    {
      output_input_ratio: signal(ctx, 'output_input_ratio', f.outInRatio, p.outInOnset, 'tokens/token'),
      max_tokens_high_share: signal(
        ctx,
        'max_tokens_high_share',
        f.maxTokensHighShare,
        p.maxTokensCapOnset,
        'share',
      ),
      truncated_share: signal(ctx, 'truncated_share', f.truncatedShare, p.truncatedOnset, 'share'),
      reasoning_token_share: signal(
        ctx,
        'reasoning_token_share',
        f.reasoningTokenShare,
        p.reasoningTokensOnset,
        'share',
      ),
      n_above_1_share: signal(ctx, 'n_above_1_share', f.nAbove1Share, p.nAbove1Onset, 'share'),
      verbosity_share: signal(ctx, 'verbosity_share', f.verbosityShare, p.verbosityOnset, 'share'),
    },
    f.evidence.ids,
    [],
  );
}
