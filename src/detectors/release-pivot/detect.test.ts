import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { ReleasePivotParams } from './definition.js';
import { detectReleasePivot } from './detect.js';

const p = ReleasePivotParams.parse({});

describe('release-pivot detector', () => {
  it('stays silent when traffic did not move', () => {
    expect(detectReleasePivot(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores a fast, near-total move to the new model higher than a slow one', () => {
    const fast = detectReleasePivot(makeFeatures({ pivotShare: 0.95, pivotDelayHours: 1 }), p, NO_BASELINES);
    const slow = detectReleasePivot(makeFeatures({ pivotShare: 0.95, pivotDelayHours: 60 }), p, NO_BASELINES);
    expect(fast?.score).toBeGreaterThan(0.9);
    expect(slow?.score ?? 0).toBeLessThan(fast?.score ?? 0);
  });
});
