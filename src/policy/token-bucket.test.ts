import { describe, expect, it } from 'vitest';
import { bucketSpec, charge, tryTake } from './index.js';

describe('token buckets', () => {
  it('allows a burst up to capacity, then refuses with the wait until one token refills', () => {
    const spec = bucketSpec(60); // one a second, capacity 60
    let state;
    for (let i = 0; i < 60; i++) {
      const r = tryTake(state, spec, 1, 1000);
      expect(r.allowed).toBe(true);
      state = r.state;
    }
    const refused = tryTake(state, spec, 1, 1000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(1000);
    expect(tryTake(refused.state, spec, 1, 2000).allowed).toBe(true);
  });

  it('charges used tokens afterwards and blocks while in debt', () => {
    const spec = bucketSpec(600); // 10 per second
    const s = charge(undefined, spec, 900, 0);
    expect(s.tokens).toBe(-300);
    const r = tryTake(s, spec, 0, 0);
    expect(r.allowed).toBe(false);
    expect(r.retryAfterMs).toBe(30_000);
    expect(tryTake(s, spec, 0, 30_000).allowed).toBe(true);
  });

  it('bounds debt at one capacity and never refills when the clock goes back', () => {
    const spec = bucketSpec(60);
    expect(charge(undefined, spec, 1e9, 0).tokens).toBe(-60);
    const r = tryTake({ tokens: 0, updatedMs: 10_000 }, spec, 1, 5_000);
    expect(r.allowed).toBe(false);
  });

  it('rejects a non-positive rate', () => {
    expect(() => bucketSpec(0)).toThrow(RangeError);
  });
});
