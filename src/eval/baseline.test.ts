import { describe, expect, it } from 'vitest';
import { chooseVolumeThreshold, thresholdForRecall, volumeBaseline } from './baseline.js';

describe('chooseVolumeThreshold', () => {
  it('picks the lowest threshold that flags no more benign items than allowed', () => {
    expect(chooseVolumeThreshold([10, 8, 5], 1)).toBe(9);
    expect(chooseVolumeThreshold([10, 8, 5], 2)).toBe(6);
    expect(chooseVolumeThreshold([10, 8, 5], 0)).toBe(11);
  });

  it('moves above tied volumes rather than exceed the budget', () => {
    // A threshold of 10 would flag both 10s; one false positive is allowed, so none are flagged.
    expect(chooseVolumeThreshold([10, 10, 5], 1)).toBe(11);
    expect(chooseVolumeThreshold([5, 10, 10], 2)).toBe(6);
  });

  it('flags everything when the budget covers every benign item, and nothing without benign items', () => {
    expect(chooseVolumeThreshold([10, 10, 5], 3)).toBe(0);
    expect(chooseVolumeThreshold([], 0)).toBeNull();
  });
});

describe('volumeBaseline', () => {
  const items = [
    { label: 'benign' as const, volume: 10 },
    { label: 'benign' as const, volume: 10 },
    { label: 'benign' as const, volume: 5 },
    { label: 'attack' as const, volume: 12 },
    { label: 'attack' as const, volume: 7 },
    { label: 'attack' as const, volume: 11 },
  ];

  it('reaches the scan\'s false-positive rate exactly when the volumes allow it', () => {
    const b = volumeBaseline(items, 2, 3);
    expect(b).toEqual({
      threshold: 6,
      target_flagged_benign: 2,
      flagged_benign: 2,
      flagged_attack: 3,
      benign_fpr: 2 / 3,
      attack_recall: 1,
      precision: 3 / 5,
      // Catching all three attacks by volume needs a threshold of 7, which flags both 10s.
      threshold_at_scan_recall: 7,
      benign_fpr_at_scan_recall: 2 / 3,
    });
  });

  it('stays below the scan\'s false-positive rate when ties force it', () => {
    const b = volumeBaseline(items, 1);
    expect(b.threshold).toBe(11);
    expect(b.flagged_benign).toBe(0);
    expect(b.benign_fpr).toBe(0);
    expect(b.attack_recall).toBeCloseTo(2 / 3, 12);
    expect(b.precision).toBe(1);
  });
});

describe('thresholdForRecall', () => {
  it('finds the highest threshold that catches as many attack items as the scan did', () => {
    expect(thresholdForRecall([12, 7, 11], 1)).toBe(12);
    expect(thresholdForRecall([12, 7, 11], 2)).toBe(11);
    expect(thresholdForRecall([12, 11, 11], 2)).toBe(11);
    expect(thresholdForRecall([12, 7, 11], 5)).toBe(7);
  });

  it('needs no threshold when the scan caught nothing', () => {
    expect(thresholdForRecall([12, 7], 0)).toBeNull();
    expect(volumeBaseline([{ label: 'benign', volume: 3 }], 0, 0)).toMatchObject({ threshold_at_scan_recall: null, benign_fpr_at_scan_recall: null });
  });
});
