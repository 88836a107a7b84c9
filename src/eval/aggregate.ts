import { z } from 'zod';
import type { EvalReport } from './report-schema.js';

/** One scalar per metric name, flattened from a report so runs can be compared and averaged. */
export type Headline = Record<string, number | null>;

/**
 * The metrics averaged across seeds. Names are stable: the documentation and any
 * comparison between commits key on them.
 *
 * @example
 * headlineMetrics(report)['all.attack_recall'];
 */
export function headlineMetrics(r: EvalReport): Headline {
  const h: Headline = {};
  for (const s of [r.scopes.all, r.scopes.account, r.scopes.end_user]) {
    h[`${s.level}.benign_fpr`] = s.benign_fpr;
    h[`${s.level}.attack_recall`] = s.attack_recall;
    h[`${s.level}.precision`] = s.precision;
    h[`${s.level}.baseline_fpr`] = s.baseline.benign_fpr;
    h[`${s.level}.baseline_recall`] = s.baseline.attack_recall;
    h[`${s.level}.baseline_fpr_at_scan_recall`] = s.baseline.benign_fpr_at_scan_recall;
    h[`${s.level}.recall_minus_baseline`] = s.attack_recall === null || s.baseline.attack_recall === null ? null : s.attack_recall - s.baseline.attack_recall;
  }
  const k = r.clustering;
  h['clustering.homogeneity'] = k.homogeneity;
  h['clustering.completeness'] = k.completeness;
  h['clustering.v_measure'] = k.v_measure;
  h['clustering.adjusted_rand'] = k.adjusted_rand;
  h['clustering.min_largest_cluster_share'] = k.min_largest_cluster_share;
  h['clustering.mean_largest_cluster_share'] = k.mean_largest_cluster_share;
  h['clustering.benign_in_attack_campaigns'] = k.benign_in_attack_campaigns;
  const l = r.latency;
  h['latency.campaigns_detected_share'] = l.campaigns === 0 ? null : l.campaigns_detected / l.campaigns;
  h['latency.mean_share_before_first_action'] = l.mean_share_before_first_action;
  h['latency.median_share_before_first_action'] = l.median_share_before_first_action;
  h['latency.max_share_before_first_action'] = l.max_share_before_first_action;
  h['latency.total_exchanges_before_first_action'] = l.total_exchanges_before_first_action;
  for (const p of r.personas) {
    const name = p.level === 'end_user' && !p.persona.includes('end_user') ? `${p.persona}@end_user` : p.persona;
    h[`persona.${p.label === 'benign' ? 'fpr' : 'recall'}.${name}`] = p.flag_rate;
    if (p.label === 'attack') h[`persona.baseline_recall.${name}`] = p.baseline_flag_rate;
  }
  return h;
}

export const MetricStats = z.object({
  key: z.string(),
  /** Runs with a defined value (a ratio over an empty set is left out). */
  n: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  /** Sample standard deviation (n − 1); null below two runs. */
  std: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type MetricStats = z.infer<typeof MetricStats>;

/** Mean, sample standard deviation, min and max of the defined values. */
export function stats(key: string, values: readonly (number | null | undefined)[]): MetricStats {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { key, n, mean: null, std: null, min: null, max: null };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const std = n < 2 ? null : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return { key, n, mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

export const RunRecord = z.object({
  seed: z.number().int(),
  evasion: z.number(),
  dir: z.string(),
  events: z.number().int().nonnegative(),
  /** Wall seconds of each step; null when the step was reused from an earlier run with no record of it. */
  sim_s: z.number().nonnegative().nullable(),
  scan_s: z.number().nonnegative().nullable(),
  eval_s: z.number().nonnegative(),
  /** Commit of the code that produced this run's scan, when it was reused from an earlier matrix run. */
  scan_commit: z.string().nullable().optional(),
  metrics: z.record(z.string(), z.number().nullable()),
});
export type RunRecord = z.infer<typeof RunRecord>;

export const LevelSummary = z.object({
  evasion: z.number(),
  seeds: z.array(z.number().int()),
  events: z.number().int().nonnegative(),
  metrics: z.array(MetricStats),
});
export type LevelSummary = z.infer<typeof LevelSummary>;

/** `out/eval/aggregate.json`: what `npm run eval` writes and docs/EVALUATION.md is generated from. */
export const AggregateReport = z.object({
  schema_version: z.literal(1),
  generated_at: z.string(),
  commit: z.string(),
  command: z.string(),
  total_events: z.number().int().nonnegative(),
  runs: z.array(RunRecord),
  levels: z.array(LevelSummary),
});
export type AggregateReport = z.infer<typeof AggregateReport>;

/** Groups runs by evasion level and summarises every metric across their seeds. */
export function aggregateRuns(runs: readonly RunRecord[]): LevelSummary[] {
  const levels = [...new Set(runs.map((r) => r.evasion))].sort((a, b) => a - b);
  return levels.map((evasion) => {
    const group = runs.filter((r) => r.evasion === evasion);
    const keys = [...new Set(group.flatMap((r) => Object.keys(r.metrics)))].sort();
    return {
      evasion,
      seeds: group.map((r) => r.seed),
      events: group.reduce((s, r) => s + r.events, 0),
      metrics: keys.map((k) => stats(k, group.map((r) => r.metrics[k]))),
    };
  });
}
