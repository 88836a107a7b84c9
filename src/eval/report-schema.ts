import { z } from 'zod';

/**
 * The JSON written by `stillwatch eval --json OUT`. A contract: the matrix driver, the
 * documentation generator and anyone comparing runs read it. Bump `schema_version` on
 * any change that is not a pure addition. Ratios are null when their denominator is 0.
 */
export const EVAL_SCHEMA_VERSION = 1;

const Ratio = z.number().min(0).max(1).nullable();
const Count = z.number().int().nonnegative();

export const BaselineMetrics = z.object({
  /** Units with `exchanges >= threshold` are flagged; null means the baseline flags nothing. */
  threshold: z.number().nullable(),
  /** The scan's benign false-positive count the threshold was matched to (never exceeded). */
  target_flagged_benign: Count,
  flagged_benign: Count,
  flagged_attack: Count,
  benign_fpr: Ratio,
  attack_recall: Ratio,
  precision: Ratio,
  /**
   * The other way round: the highest threshold that catches at least as many attack units as
   * the scan did, and the benign FPR the volume rule pays for it. Null when the scan caught none.
   */
  threshold_at_scan_recall: z.number().nullable(),
  benign_fpr_at_scan_recall: Ratio,
});
export type BaselineMetrics = z.infer<typeof BaselineMetrics>;

export const ScopeLevel = z.enum(['all', 'account', 'end_user']);
export type ScopeLevel = z.infer<typeof ScopeLevel>;

export const ScopeMetrics = z.object({
  level: ScopeLevel,
  units: Count,
  /** Units the scan produced a result for. */
  seen: Count,
  benign: Count,
  attack: Count,
  flagged_benign: Count,
  flagged_attack: Count,
  benign_fpr: Ratio,
  attack_recall: Ratio,
  precision: Ratio,
  baseline: BaselineMetrics,
});
export type ScopeMetrics = z.infer<typeof ScopeMetrics>;

export const PersonaRow = z.object({
  persona: z.string(),
  level: z.enum(['account', 'end_user']),
  label: z.enum(['benign', 'attack']),
  units: Count,
  seen: Count,
  flagged: Count,
  /** For benign rows this is the persona's false-positive rate; for attack rows its recall. */
  flag_rate: Ratio,
  /** Same units under the volume baseline of the `all` scope. */
  baseline_flagged: Count,
  baseline_flag_rate: Ratio,
  /** How many units got each action from the scan (unseen units are not counted). */
  actions: z.record(z.string(), Count),
});
export type PersonaRow = z.infer<typeof PersonaRow>;

export const CampaignRow = z.object({
  campaign: z.string(),
  units: Count,
  seen: Count,
  flagged: Count,
  recall: Ratio,
  baseline_flagged: Count,
  baseline_recall: Ratio,
  /** Distinct predicted campaigns (null campaign = its own singleton) among its flagged units. */
  predicted_clusters: Count,
  largest_predicted: z.string().nullable(),
  /** Share of its flagged units that sit in its single largest predicted campaign. */
  largest_cluster_share: Ratio,
  /** First action: the earliest `first_flagged_ts` over its units (epoch ms); null if never flagged. */
  first_action_ts: z.number().nullable(),
  first_event_ts: z.number().nullable(),
  time_to_first_action_ms: z.number().nullable(),
  /** Exchanges the campaign sent in total, and before its first action. */
  volume: Count,
  exchanges_before_first_action: Count,
  share_before_first_action: Ratio,
});
export type CampaignRow = z.infer<typeof CampaignRow>;

export const ClusteringMetrics = z.object({
  /** Attack units scored (both levels); unflagged or uncampaigned ones are predicted singletons. */
  items: Count,
  true_clusters: Count,
  predicted_clusters: Count,
  homogeneity: z.number(),
  completeness: z.number(),
  v_measure: z.number(),
  adjusted_rand: z.number(),
  min_largest_cluster_share: Ratio,
  mean_largest_cluster_share: Ratio,
  /** True campaigns with at least one flagged unit, and those of them at or above 90%. */
  campaigns_with_flags: Count,
  campaigns_at_or_above_90: Count,
  /** Benign units whose predicted campaign also holds attack units. */
  benign_in_attack_campaigns: Count,
  benign_in_attack_campaigns_sample: z.array(z.string()),
});
export type ClusteringMetrics = z.infer<typeof ClusteringMetrics>;

export const LatencySummary = z.object({
  /** `events`: exact count from the event stream; `exchanges_before_flag`: per-unit fallback. */
  method: z.enum(['events', 'exchanges_before_flag']),
  events_file: z.string().nullable(),
  events_read: Count,
  event_lines_rejected: Count,
  rejected_sample: z.array(z.string()),
  campaigns: Count,
  campaigns_detected: Count,
  total_exchanges_before_first_action: Count,
  mean_share_before_first_action: Ratio,
  median_share_before_first_action: Ratio,
  max_share_before_first_action: Ratio,
});
export type LatencySummary = z.infer<typeof LatencySummary>;

/**
 * End users whose account was flagged as a whole: the scan's account-level action reaches
 * them whatever their own verdict. Reported beside, never inside, the end-user scope.
 */
export const AccountSpillover = z.object({
  benign_end_users_under_flagged_account: Count,
  attack_end_users_under_flagged_account: Count,
  /** Of those attack end users, how many were not flagged in their own right. */
  attack_end_users_caught_only_via_account: Count,
});
export type AccountSpillover = z.infer<typeof AccountSpillover>;

export const EvalReport = z.object({
  schema_version: z.literal(EVAL_SCHEMA_VERSION),
  inputs: z.object({ labels: z.string(), results: z.string(), events: z.string().nullable() }),
  counts: z.object({
    label_lines: Count,
    result_lines: Count,
    predicted_campaigns: Count,
    unlabelled_results: Count,
    unlabelled_sample: z.array(z.string()),
    /** Labelled units that sent no event at all (signup only): not scored. Known only with the events file. */
    silent_units: Count,
    silent_sample: z.array(z.string()),
    /** Scored units the scan produced no result for: counted as not flagged. */
    unseen_units: Count,
    unseen_sample: z.array(z.string()),
  }),
  scopes: z.object({ all: ScopeMetrics, account: ScopeMetrics, end_user: ScopeMetrics }),
  spillover: AccountSpillover,
  personas: z.array(PersonaRow),
  campaigns: z.array(CampaignRow),
  clustering: ClusteringMetrics,
  latency: LatencySummary,
  warnings: z.array(z.string()),
});
export type EvalReport = z.infer<typeof EvalReport>;
