import { fmix32 } from './hash.js';

/**
 * Hashed lexical features for the distribution-shift test: each token adds ±1 to one of
 * LEXICAL_DIM buckets (the feature-hashing trick, sign from another hash bit), and the
 * vector is L2-normalised so long prompts do not dominate. An account's mean vector is then
 * compared with the benign baseline's mean (linear-kernel MMD).
 */
export const LEXICAL_DIM = 64;

export function lexicalVector(tokens: Uint32Array, n: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const h = fmix32((tokens[i] ?? 0) ^ 0x6a09e667);
    const idx = h & (LEXICAL_DIM - 1);
    out[idx] = (out[idx] ?? 0) + (h & 0x80000000 ? -1 : 1);
  }
  let norm = 0;
  for (let i = 0; i < LEXICAL_DIM; i++) norm += (out[i] ?? 0) ** 2;
  if (norm === 0) return;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < LEXICAL_DIM; i++) out[i] = (out[i] ?? 0) * inv;
}

/**
 * Unbiased linear-kernel MMD² between a weighted sample (sum vector `sum`, total weight
 * `w`, sum of squared weights `w2`, each item of unit norm) and a baseline mean `mu`:
 * ‖m − μ‖² minus the sampling-noise term (1 − ‖m‖²)·w2/w², so an account that looks like
 * the baseline scores ≈ 0 whatever its sample size.
 */
export function mmdToBaseline(sum: ArrayLike<number>, w: number, w2: number, mu: ArrayLike<number>): number {
  if (w <= 0) return 0;
  let dist = 0;
  let mNorm = 0;
  for (let i = 0; i < LEXICAL_DIM; i++) {
    const m = (sum[i] ?? 0) / w;
    dist += (m - (mu[i] ?? 0)) ** 2;
    mNorm += m * m;
  }
  const noise = Math.max(0, 1 - mNorm) * (w2 / (w * w));
  return Math.max(0, dist - noise);
}
