import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, noisyOr, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { gradingDefinition } from './definition.js';
import type { GradingParams } from './definition.js';

export function detectGrading(f: AccountFeatures, p: GradingParams, ctx: DetectContext): Finding | null {
  if (f.exchanges < p.minExchanges) return null;
  const judge = ramp(f.gradingShare, p.gradingOnset, p.gradingFull) * confidence(f.samples, 6);
  const logprobs = ramp(f.logprobShare, p.logprobOnset, p.logprobFull) * confidence(f.exchanges, 10);
  const score = noisyOr([judge, 0.8 * logprobs]);
  if (score < 0.05) return null;
  return finding(
    gradingDefinition.id,
    score,
    `${pct(f.gradingShare)} of sampled requests are rubric/judge prompts; ${pct(f.logprobShare)} request logprobs`,
    {
      grader_share: signal(ctx, 'grader_share', f.gradingShare, p.gradingOnset, 'share'),
      logprob_share: signal(ctx, 'logprob_share', f.logprobShare, p.logprobOnset, 'share'),
    },
    f.evidence.gradingIds.length > 0 ? f.evidence.gradingIds : f.evidence.ids,
    f.evidence.gradingPrompts.length > 0 ? f.evidence.gradingPrompts : [],
  );
}
