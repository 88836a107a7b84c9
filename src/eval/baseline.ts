import type { BaselineMetrics } from './report-schema.js';
import { ratio } from './ratio.js';

export interface VolumeItem {
  label: 'benign' | 'attack';
  /** Exchanges over the window; 0 for units the scan never saw. */
  volume: number;
}

/**
 * The smallest integer volume threshold that flags at most `maxFlaggedBenign` benign items
 * (flagged when `volume >= threshold`), i.e. the plain per-account volume rule with the
 * best recall at a benign false-positive rate no higher than the scan's. Ties are flagged
 * together, so when equal volumes straddle the budget the threshold moves above them all
 * and the achieved rate falls below the target ("nearest achievable not above").
 * Returns null when the rule must flag nothing (no benign items to calibrate on either).
 *
 * @example
 * chooseVolumeThreshold([10, 10, 5], 1); // 11: a threshold of 10 would flag two benign items
 */
export function chooseVolumeThreshold(benignVolumes: readonly number[], maxFlaggedBenign: number): number | null {
  if (benignVolumes.length === 0) return null;
  const sorted = [...benignVolumes].sort((x, y) => y - x);
  if (maxFlaggedBenign >= sorted.length) return 0;
  // The (K+1)-th largest benign volume must stay below the threshold.
  const firstSpared = sorted[maxFlaggedBenign] as number;
  return Math.floor(firstSpared) + 1;
}

/**
 * The highest threshold that flags at least `minFlaggedAttack` attack items; null when none
 * need flagging. Ties are flagged together, so it may flag more than asked.
 *
 * @example
 * thresholdForRecall([12, 7, 11], 2); // 11
 */
export function thresholdForRecall(attackVolumes: readonly number[], minFlaggedAttack: number): number | null {
  if (minFlaggedAttack <= 0) return null;
  const sorted = [...attackVolumes].sort((x, y) => y - x);
  return sorted[Math.min(minFlaggedAttack, sorted.length) - 1] ?? null;
}

/** Applies the volume rule calibrated to the scan's benign false-positive count. */
export function volumeBaseline(items: readonly VolumeItem[], scanFlaggedBenign: number, scanFlaggedAttack = 0): BaselineMetrics {
  const benign = items.filter((i) => i.label === 'benign');
  const attack = items.length - benign.length;
  const threshold = chooseVolumeThreshold(
    benign.map((i) => i.volume),
    scanFlaggedBenign,
  );
  let flaggedBenign = 0;
  let flaggedAttack = 0;
  for (const i of items) {
    if (!baselineFlags(threshold, i.volume)) continue;
    if (i.label === 'benign') flaggedBenign += 1;
    else flaggedAttack += 1;
  }
  const atRecall = thresholdForRecall(
    items.filter((i) => i.label === 'attack').map((i) => i.volume),
    scanFlaggedAttack,
  );
  const benignAtRecall = atRecall === null ? 0 : benign.filter((i) => i.volume >= atRecall).length;
  return {
    threshold,
    target_flagged_benign: scanFlaggedBenign,
    flagged_benign: flaggedBenign,
    flagged_attack: flaggedAttack,
    benign_fpr: ratio(flaggedBenign, benign.length),
    attack_recall: ratio(flaggedAttack, attack),
    precision: ratio(flaggedAttack, flaggedBenign + flaggedAttack),
    threshold_at_scan_recall: atRecall,
    benign_fpr_at_scan_recall: atRecall === null ? null : ratio(benignAtRecall, benign.length),
  };
}

/** True when the rule with this threshold flags an item of this volume. */
export function baselineFlags(threshold: number | null, volume: number): boolean {
  return threshold !== null && volume >= threshold;
}
