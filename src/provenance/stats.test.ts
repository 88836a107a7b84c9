import { describe, expect, it } from 'vitest';
import { normalUpperTail, upperTail } from './stats.js';

function bruteTail(groups: { n: number; p: number }[], hits: number): number {
  let dist = [1];
  for (const g of groups) {
    for (let t = 0; t < g.n; t++) {
      const next = new Array<number>(dist.length + 1).fill(0);
      dist.forEach((v, i) => {
        next[i] = (next[i] ?? 0) + v * (1 - g.p);
        next[i + 1] = (next[i + 1] ?? 0) + v * g.p;
      });
      dist = next;
    }
  }
  return dist.slice(hits).reduce((a, b) => a + b, 0);
}

describe('upperTail', () => {
  it('matches a brute-force Poisson-binomial tail for mixed set sizes', () => {
    const groups = [
      { n: 17, p: 1 / 2 },
      { n: 9, p: 1 / 3 },
      { n: 4, p: 1 / 4 },
    ];
    for (const hits of [0, 5, 12, 18, 25, 30]) {
      const r = upperTail(groups, hits);
      expect(r.method).toBe('exact');
      expect(r.pValue).toBeCloseTo(bruteTail(groups, hits), 12);
    }
  });

  it('gives 2^-n when every one of n fair trials hits', () => {
    expect(upperTail([{ n: 40, p: 0.5 }], 40).pValue).toBeCloseTo(2 ** -40, 20);
  });

  it('falls back to the normal approximation when the exact convolution is too large', () => {
    const groups = [
      { n: 2_000_000, p: 1 / 2 },
      { n: 1_500_000, p: 1 / 3 },
    ];
    const mean = 1_000_000 + 500_000;
    const sd = Math.sqrt(500_000 + 1_500_000 * (1 / 3) * (2 / 3));
    const r = upperTail(groups, mean + 3000);
    expect(r.method).toBe('normal');
    expect(r.pValue).toBeCloseTo(normalUpperTail((3000 - 0.5) / sd), 12);
    expect(upperTail([{ n: 2_000_000, p: 0.5 }], 1_002_000).method).toBe('exact');
  });

  it('has a far normal tail with small relative error', () => {
    // Q(6) = 9.8659e-10, Q(10) = 7.6199e-24
    expect(normalUpperTail(6) / 9.8659e-10).toBeCloseTo(1, 3);
    expect(normalUpperTail(10) / 7.6199e-24).toBeCloseTo(1, 3);
  });
});
