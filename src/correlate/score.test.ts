import { describe, expect, it } from 'vitest';
import { campus, enterprise, hydra, sketch, T0 } from './fixtures/sketches.js';
import { DEFAULT_OPTIONS, scoreCampaign } from './index.js';

const params = DEFAULT_OPTIONS.score;

describe('scoreCampaign', () => {
  it('scores a hydra of light accounts above the flag threshold from pooled behaviour alone', () => {
    // Each member too light for the per-account stage to score.
    const members = hydra(40).map((s) => ({ ...s, score: 0, exchanges: 2 }));
    const s = scoreCampaign(members, params);
    expect(s.mean_account_score).toBe(0);
    expect(s.pooled_behaviour).toBeGreaterThan(0.5);
    expect(s.payment_share).toBe(1);
    expect(s.signup_burst).toBe(1);
    expect(s.score).toBeGreaterThanOrEqual(DEFAULT_OPTIONS.flagThreshold);
  });

  it('discounts a verified organisation to zero however coordinated it is', () => {
    const fleet = enterprise(30).map((s) => ({ ...s, score: 0.9 }));
    const s = scoreCampaign(fleet, params);
    expect(s.coordination).toBeGreaterThan(0.7);
    expect(s.established).toBe(1);
    expect(s.score).toBe(0);
  });

  it('keeps coordinated accounts that behave like ordinary users below the threshold', () => {
    const quiet = hydra(40).map((s) => ({ ...s, score: 0.05, signals: { reasoning_share: 0.02, output_input_ratio: 2 } }));
    expect(scoreCampaign(quiet, params).score).toBeLessThan(DEFAULT_OPTIONS.flagThreshold);
  });

  it('keeps busy but unrelated-looking students below the threshold', () => {
    expect(scoreCampaign(campus(60), params).score).toBeLessThan(DEFAULT_OPTIONS.flagThreshold);
  });

  it('trusts pooled evidence only in proportion to the exchanges behind it', () => {
    const one = hydra(10).map((s, i) => ({ ...s, score: 0, exchanges: i === 0 ? 1 : 0 }));
    const many = hydra(10).map((s) => ({ ...s, score: 0, exchanges: 30 }));
    expect(scoreCampaign(one, params).pooled_behaviour).toBeLessThan(scoreCampaign(many, params).pooled_behaviour / 2);
  });

  it('counts members created close together as a signup burst and spread-out ones as none', () => {
    const burst = [0, 1, 2, 3].map((i) => sketch(`b${i}`, { signup: { created: T0 + i * 60_000 } }));
    const spread = [0, 1, 2, 3].map((i) => sketch(`s${i}`, { signup: { created: T0 + i * 30 * 86_400_000 } }));
    expect(scoreCampaign(burst, params).signup_burst).toBe(1);
    expect(scoreCampaign(spread, params).signup_burst).toBe(0);
  });
});
