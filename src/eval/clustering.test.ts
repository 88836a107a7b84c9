import { describe, expect, it } from 'vitest';
import { clusterScores } from './clustering.js';

describe('clusterScores', () => {
  it('scores a perfect clustering as 1 on every measure, whatever the cluster names', () => {
    const s = clusterScores(['a', 'a', 'b', 'b'], ['y', 'y', 'x', 'x']);
    expect(s).toMatchObject({ items: 4, true_clusters: 2, predicted_clusters: 2, homogeneity: 1, completeness: 1, v_measure: 1, adjusted_rand: 1 });
  });

  it('matches hand-computed values when each true campaign is split in two', () => {
    // a = {x:2, y:1}, b = {y:1, z:2}; N = 6.
    const s = clusterScores(['a', 'a', 'a', 'b', 'b', 'b'], ['x', 'x', 'y', 'y', 'z', 'z']);
    // ARI: Σ C(nij,2) = 2, Σ C(ai,2) = 6, Σ C(bj,2) = 3, C(6,2) = 15, expected 1.2, max 4.5.
    expect(s.adjusted_rand).toBeCloseTo(0.8 / 3.3, 12);
    // H(C) = ln 2, H(C|K) = (1/3) ln 2.
    expect(s.homogeneity).toBeCloseTo(2 / 3, 12);
    // H(K) = ln 3, H(K|C) = ln 3 − (2/3) ln 2.
    const c = ((2 / 3) * Math.log(2)) / Math.log(3);
    expect(s.completeness).toBeCloseTo(c, 12);
    expect(s.v_measure).toBeCloseTo((2 * (2 / 3) * c) / (2 / 3 + c), 12);
  });

  it('gives a negative adjusted Rand index to a clustering worse than chance', () => {
    // Every predicted pair crosses the true split: Σ C(nij,2) = 0, expected 2/3, max 2.
    const s = clusterScores(['a', 'a', 'b', 'b'], ['x', 'y', 'x', 'y']);
    expect(s.adjusted_rand).toBeCloseTo(-0.5, 12);
    expect(s.homogeneity).toBeCloseTo(0, 12);
    expect(s.completeness).toBeCloseTo(0, 12);
    expect(s.v_measure).toBe(0);
  });

  it('treats one true campaign predicted as singletons as homogeneous but not complete', () => {
    const s = clusterScores(['a', 'a', 'a'], ['p', 'q', 'r']);
    expect(s.homogeneity).toBe(1);
    expect(s.completeness).toBe(0);
    expect(s.v_measure).toBe(0);
    expect(s.adjusted_rand).toBe(0);
  });

  it('scores identical trivial partitions as full agreement', () => {
    expect(clusterScores(['a', 'b', 'c'], ['x', 'y', 'z']).adjusted_rand).toBe(1);
    expect(clusterScores(['a', 'a'], ['x', 'x']).adjusted_rand).toBe(1);
    expect(clusterScores([], []).adjusted_rand).toBe(1);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => clusterScores(['a'], [])).toThrow(RangeError);
  });
});
