import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, FAMILIES } from './calibration.js';
import { combineScore, MAX_TRUST_DISCOUNT, singleFamilyMax } from './combine.js';
import type { Family } from './types.js';

const s = { weights: { ...DEFAULT_WEIGHTS } };
const m = (entries: [Family, number][]): Map<Family, number> => new Map(entries);

describe('combineScore', () => {
  it('gives no single family, at full strength, any score on its own', () => {
    for (const f of FAMILIES) expect(combineScore(m([[f, 1]]), s, 0)).toBe(0);
    expect(singleFamilyMax(s)).toBe(0);
  });

  it('does not flag a templated, round-the-clock, high-volume batch job (one tier only)', () => {
    const batch = combineScore(
      m([
        ['template', 1],
        ['timing', 1],
        ['volume', 1],
        ['conversation', 1],
      ]),
      s,
      0,
    );
    expect(batch).toBe(0);
  });

  it('scores agreement across both tiers highly', () => {
    const attack = combineScore(
      m([
        ['reasoning', 0.9],
        ['shape', 0.9],
        ['template', 0.9],
        ['timing', 0.8],
        ['account_meta', 0.8],
      ]),
      s,
      0,
    );
    expect(attack).toBeGreaterThan(0.75);
  });

  it('lowers, but never zeroes, the risk of a trusted organisation', () => {
    const fam = m([
      ['reasoning', 0.9],
      ['template', 0.9],
    ]);
    const plain = combineScore(fam, s, 0);
    const trusted = combineScore(fam, s, 1);
    expect(trusted).toBeLessThan(plain);
    expect(trusted).toBeCloseTo(plain * (1 - MAX_TRUST_DISCOUNT), 10);
    expect(trusted).toBeGreaterThan(0);
  });
});
