/** Bernoulli trials grouped by success probability: `n` trials with probability `p` each. */
export interface TrialGroup {
  n: number;
  p: number;
}

export interface TailResult {
  pValue: number;
  method: 'exact' | 'normal';
}

/** Beyond this many multiply-adds the exact convolution gives way to the normal approximation. */
const EXACT_BUDGET = 4e7;

/** Binomial pmf over its support, trimmed to the entries that do not underflow. */
function binomialPmf(n: number, p: number): { offset: number; pmf: Float64Array } {
  const logs = new Float64Array(n + 1);
  const lr = Math.log(p) - Math.log1p(-p);
  logs[0] = n * Math.log1p(-p);
  for (let x = 0; x < n; x++) logs[x + 1] = (logs[x] ?? 0) + Math.log((n - x) / (x + 1)) + lr;
  let lo = 0;
  let hi = n;
  while (lo < n && (logs[lo] ?? 0) < -740) lo++;
  while (hi > lo && (logs[hi] ?? 0) < -740) hi--;
  const pmf = new Float64Array(hi - lo + 1);
  for (let x = lo; x <= hi; x++) pmf[x - lo] = Math.exp(logs[x] ?? -Infinity);
  return { offset: lo, pmf };
}

function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] ?? 0;
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] = (out[i + j] ?? 0) + ai * (b[j] ?? 0);
  }
  return out;
}

/** Complementary error function with small relative error in the far tail (Numerical Recipes `erfcc`). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** One-sided upper tail of the standard normal. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Mean and standard deviation of the number of successes. */
export function nullMoments(groups: readonly TrialGroup[]): { mean: number; sd: number } {
  let mean = 0;
  let v = 0;
  for (const g of groups) {
    mean += g.n * g.p;
    v += g.n * g.p * (1 - g.p);
  }
  return { mean, sd: Math.sqrt(v) };
}

/**
 * P(S ≥ hits) where S is a sum of independent binomials: exact by convolution when affordable, otherwise the
 * normal approximation with continuity correction. A p-value under ~1e-300 underflows to 0.
 */
export function upperTail(groups: readonly TrialGroup[], hits: number): TailResult {
  const live = groups.filter((g) => g.n > 0);
  if (hits <= 0) return { pValue: 1, method: 'exact' };
  const parts = live.map((g) => binomialPmf(g.n, g.p));
  let cost = 0;
  let width = 1;
  for (const part of parts) {
    cost += width * part.pmf.length;
    width += part.pmf.length - 1;
  }
  if (cost > EXACT_BUDGET) {
    const { mean, sd } = nullMoments(live);
    return {
      pValue: sd === 0 ? (hits > mean ? 0 : 1) : normalUpperTail((hits - 0.5 - mean) / sd),
      method: 'normal',
    };
  }
  let offset = 0;
  let pmf: Float64Array = new Float64Array([1]);
  for (const part of parts) {
    pmf = convolve(pmf, part.pmf);
    offset += part.offset;
  }
  let tail = 0;
  for (let s = Math.max(hits - offset, 0); s < pmf.length; s++) tail += pmf[s] ?? 0;
  return { pValue: Math.min(1, tail), method: 'exact' };
}
