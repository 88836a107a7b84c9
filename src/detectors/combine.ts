import type { Finding } from '../domain/index.js';
import { DEFAULT_WEIGHTS, FAMILIES, TIERS } from './calibration.js';
import type { Calibration } from './calibration.js';
import type { Family } from './types.js';

/** At most this share of risk is removed for a fully trusted (verified, long-lived) organisation. */
export const MAX_TRUST_DISCOUNT = 0.5;

export interface CombineSettings {
  weights: Record<Family, number>;
}

export function combineSettings(cal: Calibration): CombineSettings {
  const weights = { ...DEFAULT_WEIGHTS };
  for (const f of FAMILIES) {
    const w = cal.weights[f];
    if (w !== undefined) weights[f] = w;
  }
  return { weights };
}

/** Strongest score each family reached (a family may hold several detectors). */
export function familyScores(
  findings: readonly Finding[],
  familyOf: ReadonlyMap<string, Family>,
): Map<Family, number> {
  const out = new Map<Family, number>();
  for (const f of findings) {
    const fam = familyOf.get(f.detector);
    if (fam === undefined) continue;
    out.set(fam, Math.max(out.get(fam) ?? 0, f.score));
  }
  return out;
}

function tierRisk(
  tier: readonly Family[],
  families: ReadonlyMap<Family, number>,
  s: CombineSettings,
): number {
  let keep = 1;
  for (const fam of tier) keep *= 1 - Math.min(1, Math.max(0, families.get(fam) ?? 0)) * s.weights[fam];
  return 1 - keep;
}

/**
 * Risk = √(harvest × automation) × (1 − MAX_TRUST_DISCOUNT × trust). Within a tier, families
 * combine by noisy-OR of weight × score (each weight < 1, so no family is certain alone);
 * across tiers the geometric mean requires both to agree, so one family — or several from
 * the same tier, like a templated 24/7 batch job — cannot flag. Trust from a verified,
 * long-lived organisation lowers the result by a bounded factor: never to zero.
 */
export function combineScore(
  families: ReadonlyMap<Family, number>,
  s: CombineSettings,
  trust: number,
): number {
  const harvest = tierRisk(TIERS.harvest, families, s);
  const automation = tierRisk(TIERS.automation, families, s);
  return Math.sqrt(harvest * automation) * (1 - MAX_TRUST_DISCOUNT * Math.min(1, Math.max(0, trust)));
}

/** The highest score one family can produce on its own: 0, since the other tier is then silent. */
export function singleFamilyMax(s: CombineSettings): number {
  let m = 0;
  for (const f of FAMILIES) m = Math.max(m, combineScore(new Map([[f, 1]]), s, 0));
  return m;
}
