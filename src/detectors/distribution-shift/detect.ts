import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { distributionShiftDefinition } from './definition.js';
import type { DistributionShiftParams } from './definition.js';

export function detectDistributionShift(
  f: AccountFeatures,
  p: DistributionShiftParams,
  ctx: DetectContext,
): Finding | null {
  const base = ctx.baselines['lexical_mmd'];
  if (f.mmd === null || base === undefined || f.samples < p.minSamples || base.p99 <= 0) return null;
  const score = ramp(f.mmd, p.onsetFactor * base.p99, p.fullFactor * base.p99) * confidence(f.samples, 12);
  if (score < 0.05) return null;
  return finding(
    distributionShiftDefinition.id,
    score,
    `lexical MMD² to the benign baseline ${f.mmd.toFixed(4)} (benign p99 ${base.p99.toFixed(4)}) over ${f.samples} sampled prompts`,
    { lexical_mmd: signal(ctx, 'lexical_mmd', f.mmd, base.p99, 'MMD²') },
    f.evidence.ids,
    f.evidence.prompts,
  );
}
