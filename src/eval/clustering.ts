/**
 * External clustering-quality measures between a true partition and a predicted one,
 * over the same items. Definitions follow Rosenberg & Hirschberg (2007) for homogeneity,
 * completeness and V-measure, and Hubert & Arabie (1985) for the adjusted Rand index;
 * the degenerate cases match scikit-learn's conventions.
 */
export interface ClusterScores {
  items: number;
  true_clusters: number;
  predicted_clusters: number;
  homogeneity: number;
  completeness: number;
  v_measure: number;
  adjusted_rand: number;
}

interface Contingency {
  n: number;
  /** Size of each true class. */
  a: number[];
  /** Size of each predicted cluster. */
  b: number[];
  /** Non-zero cells n_ij. */
  cells: { i: number; j: number; n: number }[];
}

function contingency(truth: readonly string[], predicted: readonly string[]): Contingency {
  if (truth.length !== predicted.length) throw new RangeError('truth and predicted must have the same length');
  const ti = new Map<string, number>();
  const pj = new Map<string, number>();
  const a: number[] = [];
  const b: number[] = [];
  const cellMap = new Map<string, { i: number; j: number; n: number }>();
  for (let k = 0; k < truth.length; k++) {
    const t = truth[k] as string;
    const p = predicted[k] as string;
    let i = ti.get(t);
    if (i === undefined) {
      i = a.length;
      ti.set(t, i);
      a.push(0);
    }
    let j = pj.get(p);
    if (j === undefined) {
      j = b.length;
      pj.set(p, j);
      b.push(0);
    }
    a[i] = (a[i] ?? 0) + 1;
    b[j] = (b[j] ?? 0) + 1;
    const ck = `${i},${j}`;
    const cell = cellMap.get(ck);
    if (cell) cell.n += 1;
    else cellMap.set(ck, { i, j, n: 1 });
  }
  return { n: truth.length, a, b, cells: [...cellMap.values()] };
}

function entropy(sizes: readonly number[], n: number): number {
  let h = 0;
  for (const s of sizes) if (s > 0) h -= (s / n) * Math.log(s / n);
  return h;
}

const choose2 = (x: number): number => (x * (x - 1)) / 2;

/**
 * Scores a predicted partition against the truth. Items are parallel arrays of labels.
 *
 * @example
 * clusterScores(['a', 'a', 'b'], ['x', 'x', 'y']).adjusted_rand; // 1
 */
export function clusterScores(truth: readonly string[], predicted: readonly string[]): ClusterScores {
  const c = contingency(truth, predicted);
  const base = { items: c.n, true_clusters: c.a.length, predicted_clusters: c.b.length };
  if (c.n === 0) return { ...base, homogeneity: 1, completeness: 1, v_measure: 1, adjusted_rand: 1 };
  const hC = entropy(c.a, c.n);
  const hK = entropy(c.b, c.n);
  let hCgivenK = 0;
  let hKgivenC = 0;
  for (const { i, j, n } of c.cells) {
    const p = n / c.n;
    hCgivenK -= p * Math.log(n / (c.b[j] as number));
    hKgivenC -= p * Math.log(n / (c.a[i] as number));
  }
  // A single true class is trivially homogeneous; a single predicted cluster trivially complete.
  const homogeneity = hC === 0 ? 1 : 1 - hCgivenK / hC;
  const completeness = hK === 0 ? 1 : 1 - hKgivenC / hK;
  const v = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return {
    ...base,
    homogeneity: clamp01(homogeneity),
    completeness: clamp01(completeness),
    v_measure: clamp01(v),
    adjusted_rand: adjustedRand(c),
  };
}

function adjustedRand(c: Contingency): number {
  const sumCells = c.cells.reduce((s, x) => s + choose2(x.n), 0);
  const sumA = c.a.reduce((s, x) => s + choose2(x), 0);
  const sumB = c.b.reduce((s, x) => s + choose2(x), 0);
  const total = choose2(c.n);
  const expected = total === 0 ? 0 : (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  // Zero denominator only when both partitions are the same trivial one (all singletons or one block).
  if (max - expected === 0) return 1;
  return (sumCells - expected) / (max - expected);
}

/** Floating-point noise can push 1 - x/x slightly outside [0, 1]. */
function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
