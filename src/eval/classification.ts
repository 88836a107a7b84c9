import { baselineFlags, volumeBaseline } from './baseline.js';
import { clusterScores } from './clustering.js';
import { ratio } from './ratio.js';
import type { AccountSpillover, ClusteringMetrics, PersonaRow, ScopeLevel, ScopeMetrics } from './report-schema.js';
import { displayKey, isFlagged } from './units.js';
import type { Unit } from './units.js';

/** Exchanges the scan counted for a unit; 0 when it never saw it. */
export function volumeOf(u: Unit): number {
  return u.result?.exchanges ?? 0;
}

/** Flag counts, rates and the calibrated volume baseline over the units of one scope. */
export function scopeMetrics(level: ScopeLevel, units: readonly Unit[]): ScopeMetrics {
  let seen = 0;
  let benign = 0;
  let flaggedBenign = 0;
  let flaggedAttack = 0;
  for (const u of units) {
    if (u.result !== null) seen += 1;
    if (u.label === 'benign') {
      benign += 1;
      if (isFlagged(u)) flaggedBenign += 1;
    } else if (isFlagged(u)) flaggedAttack += 1;
  }
  const attack = units.length - benign;
  return {
    level,
    units: units.length,
    seen,
    benign,
    attack,
    flagged_benign: flaggedBenign,
    flagged_attack: flaggedAttack,
    benign_fpr: ratio(flaggedBenign, benign),
    attack_recall: ratio(flaggedAttack, attack),
    precision: ratio(flaggedAttack, flaggedBenign + flaggedAttack),
    baseline: volumeBaseline(
      units.map((u) => ({ label: u.label, volume: volumeOf(u) })),
      flaggedBenign,
      flaggedAttack,
    ),
  };
}

/** One row per (persona, level, label), sorted benign first, then by name. */
export function personaRows(units: readonly Unit[], baselineThreshold: number | null): PersonaRow[] {
  const rows = new Map<string, PersonaRow>();
  for (const u of units) {
    const key = `${u.label}\u0000${u.persona}\u0000${u.level}`;
    let row = rows.get(key);
    if (!row) {
      row = { persona: u.persona, level: u.level, label: u.label, units: 0, seen: 0, flagged: 0, flag_rate: null, baseline_flagged: 0, baseline_flag_rate: null, actions: {} };
      rows.set(key, row);
    }
    row.units += 1;
    if (u.result !== null) {
      row.seen += 1;
      row.actions[u.result.action] = (row.actions[u.result.action] ?? 0) + 1;
    }
    if (isFlagged(u)) row.flagged += 1;
    if (baselineFlags(baselineThreshold, volumeOf(u))) row.baseline_flagged += 1;
  }
  const out = [...rows.values()].map((r) => ({
    ...r,
    flag_rate: ratio(r.flagged, r.units),
    baseline_flag_rate: ratio(r.baseline_flagged, r.units),
  }));
  return out.sort((x, y) => x.label.localeCompare(y.label) * -1 || x.persona.localeCompare(y.persona) || x.level.localeCompare(y.level));
}

/** The predicted campaign of a unit; no campaign makes it its own singleton. */
export function predictedCluster(u: Unit): string {
  return u.result?.campaign ?? `singleton:${u.key}`;
}

/** The true campaign of an attack unit; an attack outside any campaign is its own class. */
export function trueCluster(u: Unit): string {
  return u.campaign ?? `solo:${u.key}`;
}

export interface LargestShare {
  predicted_clusters: number;
  largest_predicted: string | null;
  largest_cluster_share: number | null;
}

/** Among a true campaign's flagged units: how many predicted campaigns, and the largest one's share. */
export function largestShare(campaignUnits: readonly Unit[]): LargestShare {
  const counts = new Map<string, number>();
  let flagged = 0;
  for (const u of campaignUnits) {
    if (!isFlagged(u)) continue;
    flagged += 1;
    const p = predictedCluster(u);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestN = 0;
  // Sorted iteration makes the tie-break deterministic.
  for (const [p, n] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (n > bestN) {
      best = p;
      bestN = n;
    }
  }
  return {
    predicted_clusters: counts.size,
    largest_predicted: best !== null && best.startsWith('singleton:') ? null : best,
    largest_cluster_share: ratio(bestN, flagged),
  };
}

const SAMPLE = 20;

/** Partition agreement over all attack units plus the campaign-level purity checks. */
export function clusteringMetrics(units: readonly Unit[], shares: readonly (number | null)[]): ClusteringMetrics {
  const attacks = units.filter((u) => u.label === 'attack');
  const scores = clusterScores(
    attacks.map(trueCluster),
    attacks.map(predictedCluster),
  );
  const attackCampaigns = new Set<string>();
  for (const u of attacks) if (u.result?.campaign) attackCampaigns.add(u.result.campaign);
  const pulledIn = units.filter((u) => u.label === 'benign' && u.result?.campaign != null && attackCampaigns.has(u.result.campaign));
  const known = shares.filter((s): s is number => s !== null);
  return {
    ...scores,
    min_largest_cluster_share: known.length === 0 ? null : Math.min(...known),
    mean_largest_cluster_share: ratio(known.reduce((s, x) => s + x, 0), known.length),
    campaigns_with_flags: known.length,
    campaigns_at_or_above_90: known.filter((s) => s >= 0.9).length,
    benign_in_attack_campaigns: pulledIn.length,
    benign_in_attack_campaigns_sample: pulledIn.slice(0, SAMPLE).map((u) => displayKey(u.key)),
  };
}

/** End users caught up in an account-level flag on their reseller or app. */
export function accountSpillover(units: readonly Unit[]): AccountSpillover {
  const flaggedAccounts = new Set(units.filter((u) => u.level === 'account' && isFlagged(u)).map((u) => u.account));
  const out: AccountSpillover = { benign_end_users_under_flagged_account: 0, attack_end_users_under_flagged_account: 0, attack_end_users_caught_only_via_account: 0 };
  for (const u of units) {
    if (u.level !== 'end_user' || !flaggedAccounts.has(u.account)) continue;
    if (u.label === 'benign') out.benign_end_users_under_flagged_account += 1;
    else {
      out.attack_end_users_under_flagged_account += 1;
      if (!isFlagged(u)) out.attack_end_users_caught_only_via_account += 1;
    }
  }
  return out;
}
