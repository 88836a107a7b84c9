import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { capabilityDefinition, HIGH_VALUE } from './definition.js';
import type { CapabilityParams } from './definition.js';

export function detectCapability(
  f: AccountFeatures,
  p: CapabilityParams,
  ctx: DetectContext,
): Finding | null {
  if (f.samples < p.minSamples) return null;
  const focus = HIGH_VALUE.has(f.topCategory) ? ramp(f.topCategoryShare, p.focusOnset, p.focusFull) : 0;
  // Systematic coverage: many task categories and several writing systems together.
  const categories = ramp(f.categoriesCovered, p.coverageOnset, p.coverageFull);
  const scripts = ramp(f.scriptsCovered, p.scriptsOnset, p.scriptsFull);
  const coverage = Math.max(categories * (0.5 + 0.5 * scripts), scripts * (0.5 + 0.5 * categories));
  const safetyShare = f.categoryShares['safety'] ?? 0;
  const safety = ramp(safetyShare, p.safetyOnset, p.safetyFull);
  const score = Math.max(0.6 * focus, coverage, safety) * confidence(f.samples, 10);
  if (score < 0.05) return null;
  const dist = Object.entries(f.categoryShares)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ');
  const signals: Finding['signals'] = {
    top_category_share: signal(ctx, 'top_category_share', f.topCategoryShare, p.focusOnset, 'share'),
    categories_covered: signal(ctx, 'categories_covered', f.categoriesCovered, p.coverageOnset, 'categories'),
    scripts_covered: signal(ctx, 'scripts_covered', f.scriptsCovered, p.scriptsOnset, 'writing systems'),
    safety_probe_share: signal(ctx, 'safety_probe_share', safetyShare, p.safetyOnset, 'share'),
  };
  return finding(
    capabilityDefinition.id,
    score,
    `task mix: ${dist} (top: ${f.topCategory}); ${f.scriptsCovered} writing systems`,
    signals,
    f.evidence.ids,
    [],
  );
}
