import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { TimingParams } from './definition.js';
import { detectTiming } from './detect.js';

const p = TimingParams.parse({});

describe('timing detector', () => {
  it('stays silent on bursty human traffic with a daily rhythm', () => {
    expect(detectTiming(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores metronome-regular round-the-clock traffic', () => {
    const f = detectTiming(
      makeFeatures({ gapCv: 0.1, quietShare: 0.95, hourEntropy: 0.99 }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.7);
    expect(f?.signals['inter_arrival_cv']?.value).toBe(0.1);
  });

  it('does not judge the daily rhythm of an account seen for a few hours', () => {
    const short = detectTiming(makeFeatures({ spanHours: 6, quietShare: 1 }), p, NO_BASELINES);
    expect(short).toBeNull();
  });

  it('weighs bursts and parallel requests alone lightly', () => {
    const f = detectTiming(makeFeatures({ concurrencyMean: 5, maxPerMinute: 200 }), p, NO_BASELINES);
    expect(f?.score ?? 0).toBeLessThan(0.35);
  });
});
