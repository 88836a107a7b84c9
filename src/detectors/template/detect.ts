import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { templateDefinition } from './definition.js';
import type { TemplateParams } from './definition.js';

export function detectTemplate(f: AccountFeatures, p: TemplateParams, ctx: DetectContext): Finding | null {
  if (f.samples < p.minSamples) return null;
  const coherence = ramp(f.templateCoherence, p.coherenceOnset, p.coherenceFull);
  const wrapper = ramp(f.wrapperShare, p.wrapperOnset, p.wrapperFull);
  const few =
    f.distinctTemplates <= p.fewTemplates ? 1 : ramp(f.distinctTemplates, 4 * p.fewTemplates, p.fewTemplates);
  // Payloads must vary: one prompt resent verbatim is a retry loop, not a harvesting template.
  const varied = ramp(f.distinctTextRatio, 0.2, 0.6);
  const score = Math.max(coherence, wrapper) * (0.7 + 0.3 * few) * varied * confidence(f.samples, 8);
  if (score < 0.05) return null;
  return finding(
    templateDefinition.id,
    score,
    `${pct(f.templateCoherence)} of sampled prompts share one template structure, ${pct(f.wrapperShare)} one fixed wrapper; ` +
      `~${Math.round(f.distinctTemplates)} distinct wrappers over ${f.samples} samples`,
    {
      template_coherence: signal(ctx, 'template_coherence', f.templateCoherence, p.coherenceOnset, 'share'),
      near_duplicate_share: signal(ctx, 'near_duplicate_share', f.nearDupShare, p.coherenceOnset, 'share'),
      wrapper_share: signal(ctx, 'wrapper_share', f.wrapperShare, p.wrapperOnset, 'share'),
      distinct_templates: signal(ctx, 'distinct_templates', f.distinctTemplates, p.fewTemplates, 'templates'),
    },
    f.evidence.ids,
    f.evidence.prompts,
  );
}
