import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { VolumeParams } from './definition.js';
import { detectVolume } from './detect.js';

const p = VolumeParams.parse({});

describe('volume detector', () => {
  it('stays silent on an ordinary request rate', () => {
    expect(detectVolume(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores sustained thousands of requests per day, with the rate as evidence', () => {
    const f = detectVolume(
      makeFeatures({ exchanges: 20_000, perDay: 5000, maxPerHour: 400 }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.9);
    expect(f?.signals['requests_per_day']?.value).toBe(5000);
    expect(f?.signals['requests_per_day']?.baseline).toBe(p.perDayOnset);
  });

  it('cites the benign p99 from calibration when it has one', () => {
    const ctx = { baselines: { requests_per_day: { p50: 10, p90: 100, p99: 900 } } };
    const f = detectVolume(makeFeatures({ exchanges: 20_000, perDay: 5000 }), p, ctx);
    expect(f?.signals['requests_per_day']?.baseline).toBe(900);
    expect(f?.signals['requests_per_day']?.baseline_note).toMatch(/benign/);
  });
});
