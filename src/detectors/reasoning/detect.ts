import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, noisyOr, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { reasoningDefinition } from './definition.js';
import type { ReasoningParams } from './definition.js';

export function detectReasoning(f: AccountFeatures, p: ReasoningParams, ctx: DetectContext): Finding | null {
  if (f.samples < p.minSamples) return null;
  const share = ramp(f.reasoningShare, p.shareOnset, p.shareFull);
  const structured = ramp(f.structuredShare, p.structuredOnset, p.structuredFull);
  const effort = ramp(f.highEffortShare, p.highEffortOnset, p.highEffortFull);
  const score = noisyOr([share, 0.7 * structured, 0.4 * effort]) * confidence(f.samples, 6);
  if (score < 0.05) return null;
  return finding(
    reasoningDefinition.id,
    score,
    `${pct(f.reasoningShare)} of sampled requests ask for step-by-step or internal reasoning, ` +
      `${pct(f.structuredShare)} ask for it in a structured field, ${pct(f.highEffortShare)} set reasoning_effort high`,
    {
      reasoning_share: signal(ctx, 'reasoning_share', f.reasoningShare, p.shareOnset, 'share'),
      structured_reasoning_share: signal(
        ctx,
        'structured_reasoning_share',
        f.structuredShare,
        p.structuredOnset,
        'share',
      ),
      high_effort_share: signal(ctx, 'high_effort_share', f.highEffortShare, p.highEffortOnset, 'share'),
    },
    f.evidence.reasoningIds.length > 0 ? f.evidence.reasoningIds : f.evidence.ids,
    f.evidence.reasoningPrompts.length > 0 ? f.evidence.reasoningPrompts : f.evidence.prompts,
  );
}
