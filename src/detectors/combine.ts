import type { Finding } from '../domain/index.js';
import { DEFAULT_WEIGHTS, FAMILIES } from './calibration.js';
import type { Calibration } from './calibration.js';
import type { Family } from './types.js';

/** At most this share of risk is removed for a fully trusted (verified, long-lived) organisation. */
export const MAX_TRUST_DISCOUNT = 0.4;

export interface CombineSettings {
  weights: Record<Family, number>;
  topFamilyDiscount: number;
}

export function combineSettings(cal: Calibration): CombineSettings {
  const weights = { ...DEFAULT_WEIGHTS };
  for (const f of FAMILIES) {
    const w = cal.weights[f];
    if (w !== undefined) weights[f] = w;
  }
  return { weights, topFamilyDiscount: cal.top_family_discount };
}

/** Strongest score each family reached (a family may hold several detectors). */
export function familyScores(findings: readonly Finding[], familyOf: ReadonlyMap<string, Family>): Map<Family, number> {
  const out = new Map<Family, number>();
  for (const f of findings) {
    const fam = familyOf.get(f.detector);
    if (fam === undefined) continue;
    out.set(fam, Math.max(out.get(fam) ?? 0, f.score));
  }
  return out;
}

/**
 * Noisy-OR over families of weight × score, with the strongest family's contribution
 * discounted: every family is capped below 1 by its weight, and the discount makes the
 * score of any single family alone at most `singleFamilyMax`, so agreement of several
 * independent families is needed to cross a threshold above that. Trust from a verified,
 * long-lived organisation then scales the result down by at most MAX_TRUST_DISCOUNT.
 */
export function combineScore(families: ReadonlyMap<Family, number>, s: CombineSettings, trust: number): number {
  const contributions: number[] = [];
  for (const [fam, score] of families) contributions.push(Math.min(1, Math.max(0, score)) * s.weights[fam]);
  if (contributions.length === 0) return 0;
  let top = 0;
  for (let i = 1; i < contributions.length; i++) if ((contributions[i] ?? 0) > (contributions[top] ?? 0)) top = i;
  let keep = 1;
  contributions.forEach((c, i) => {
    keep *= 1 - (i === top ? c * s.topFamilyDiscount : c);
  });
  const risk = 1 - keep;
  return risk * (1 - MAX_TRUST_DISCOUNT * Math.min(1, Math.max(0, trust)));
}

/** The highest score one family can produce on its own. */
export function singleFamilyMax(s: CombineSettings): number {
  let m = 0;
  for (const f of FAMILIES) m = Math.max(m, s.weights[f] * s.topFamilyDiscount);
  return m;
}
