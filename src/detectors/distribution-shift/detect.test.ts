import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { DistributionShiftParams } from './definition.js';
import { detectDistributionShift } from './detect.js';

const p = DistributionShiftParams.parse({});
const calibrated = { baselines: { lexical_mmd: { p50: 0.01, p90: 0.03, p99: 0.05 } } };

describe('distribution-shift detector', () => {
  it('is off without a benign baseline from calibration', () => {
    expect(detectDistributionShift(makeFeatures({ mmd: 0.5 }), p, NO_BASELINES)).toBeNull();
  });

  it('stays silent within the benign range', () => {
    expect(detectDistributionShift(makeFeatures({ mmd: 0.02 }), p, calibrated)).toBeNull();
  });

  it('scores a prompt window far outside the benign range against its p99', () => {
    const f = detectDistributionShift(makeFeatures({ mmd: 0.2 }), p, calibrated);
    expect(f?.score).toBeGreaterThan(0.7);
    expect(f?.signals['lexical_mmd']?.baseline).toBe(0.05);
  });
});
