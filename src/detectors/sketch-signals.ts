import type { AccountFeatures } from '../features/index.js';
import { round } from './shared.js';

/** The behaviour summary a sketch carries: what campaign scoring compares across members. */
export function sketchSignals(f: AccountFeatures, exchanges: number): Record<string, number> {
  return {
    exchanges,
    reasoning_share: round(f.reasoningShare),
    structured_reasoning_share: round(f.structuredShare),
    grader_share: round(f.gradingShare),
    logprob_share: round(f.logprobShare),
    template_coherence: round(f.templateCoherence),
    wrapper_share: round(f.wrapperShare),
    release_pivot_share: round(f.pivotShare),
    one_shot_share: round(f.oneShotShare),
    output_input_ratio: round(f.outInRatio),
    requests_per_day: round(f.perDay),
    quiet_hours_share: round(f.quietShare),
    top_category_share: round(f.topCategoryShare),
    end_user_share: round(f.endUserShare),
    samples: f.samples,
  };
}
