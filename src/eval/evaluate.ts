import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AccountResult, Campaign } from '../domain/index.js';
import { campaignRows } from './campaigns.js';
import { accountSpillover, clusteringMetrics, personaRows, scopeMetrics } from './classification.js';
import { LabelLine, readScanOutput, readValidated } from './inputs.js';
import { countFromEvents, countFromResults } from './latency.js';
import type { EventCounts } from './latency.js';
import { EVAL_SCHEMA_VERSION } from './report-schema.js';
import type { EvalReport, LatencySummary } from './report-schema.js';
import { ratio } from './ratio.js';
import { displayKey, joinUnits } from './units.js';
import type { Unit } from './units.js';

const SAMPLE = 20;

export interface EvaluateInput {
  labels: LabelLine[];
  results: AccountResult[];
  campaigns: Campaign[];
  /** How exchanges before each campaign's first action were counted (see latency.ts). */
  counts: (units: Unit[]) => Promise<EventCounts> | EventCounts;
  paths: { labels: string; results: string; events: string | null };
}

/**
 * Scores a scan against ground truth. Pure apart from what `counts` reads.
 *
 * @example
 * const report = await evaluate({ labels, results, campaigns, counts: countFromResults, paths });
 */
export async function evaluate(input: EvaluateInput): Promise<EvalReport> {
  const joined = joinUnits(input.labels, input.results, input.paths.labels, input.paths.results);
  const { unlabelled } = joined;
  const counts = await input.counts(joined.units);
  // A unit that never sent anything cannot be detected or falsely flagged: leave it out, and say so.
  const active = counts.active;
  const isSilent = (u: Unit): boolean => active !== null && u.result === null && !active.has(u.key);
  const silent = joined.units.filter(isSilent);
  const units = silent.length === 0 ? joined.units : joined.units.filter((u) => !isSilent(u));
  const all = scopeMetrics('all', units);
  const campaigns = campaignRows(units, counts, all.baseline.threshold);
  const unseen = units.filter((u) => u.result === null);
  const warnings: string[] = [];
  if (counts.method === 'exchanges_before_flag') {
    warnings.push('no events file: exchanges before first action are the sum of each unit\'s own exchanges_before_flag (an upper bound)');
  }
  if (counts.rejected > 0) warnings.push(`${counts.rejected} event lines rejected while counting latency (see latency.rejected_sample)`);
  if (silent.length > 0) warnings.push(`${silent.length} labelled units sent no events (signup only); not scored`);
  if (unseen.length > 0) {
    const why = active === null ? ' (without the events file, units that sent nothing cannot be told apart)' : '';
    warnings.push(`${unseen.length} labelled units never appear in the scan results; scored as not flagged${why}`);
  }
  if (unlabelled.length > 0) warnings.push(`${unlabelled.length} scan results have no label line; not scored`);
  const known = new Set(input.campaigns.map((c) => c.id));
  const dangling = new Set(input.results.filter((r) => r.campaign !== null && !known.has(r.campaign)).map((r) => r.campaign));
  if (dangling.size > 0) warnings.push(`${dangling.size} campaign ids in accounts.ndjson are missing from campaigns.json`);
  return {
    schema_version: EVAL_SCHEMA_VERSION,
    inputs: input.paths,
    counts: {
      label_lines: input.labels.length,
      result_lines: input.results.length,
      predicted_campaigns: input.campaigns.length,
      unlabelled_results: unlabelled.length,
      unlabelled_sample: unlabelled.slice(0, SAMPLE),
      silent_units: silent.length,
      silent_sample: silent.slice(0, SAMPLE).map((u) => displayKey(u.key)),
      unseen_units: unseen.length,
      unseen_sample: unseen.slice(0, SAMPLE).map((u) => displayKey(u.key)),
    },
    scopes: {
      all,
      account: scopeMetrics('account', units.filter((u) => u.level === 'account')),
      end_user: scopeMetrics('end_user', units.filter((u) => u.level === 'end_user')),
    },
    spillover: accountSpillover(units),
    personas: personaRows(units, all.baseline.threshold),
    campaigns,
    clustering: clusteringMetrics(units, campaigns.map((c) => c.largest_cluster_share)),
    latency: latencySummary(counts, campaigns),
    warnings,
  };
}

function latencySummary(counts: EventCounts, rows: EvalReport['campaigns']): LatencySummary {
  const shares = rows.map((r) => r.share_before_first_action).filter((s): s is number => s !== null).sort((a, b) => a - b);
  return {
    method: counts.method,
    events_file: counts.events_file,
    events_read: counts.events_read,
    event_lines_rejected: counts.rejected,
    rejected_sample: counts.rejected_sample,
    campaigns: rows.length,
    campaigns_detected: rows.filter((r) => r.first_action_ts !== null).length,
    total_exchanges_before_first_action: rows.reduce((s, r) => s + r.exchanges_before_first_action, 0),
    mean_share_before_first_action: ratio(shares.reduce((s, x) => s + x, 0), shares.length),
    median_share_before_first_action: median(shares),
    max_share_before_first_action: shares.length === 0 ? null : (shares[shares.length - 1] as number),
  };
}

/** Median of an ascending list; the mean of the middle two for even lengths. */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface EvalPaths {
  labels: string;
  results: string;
  /** An events file; undefined = labels' sibling events.ndjson if present; null = none. */
  events?: string | null;
}

/** Reads the inputs from disk and evaluates them. */
export async function runEvaluation(paths: EvalPaths): Promise<EvalReport> {
  const labels = await readValidated(paths.labels, LabelLine);
  const { results, campaigns } = await readScanOutput(paths.results);
  const events = paths.events === undefined ? await siblingEvents(paths.labels) : paths.events;
  return evaluate({
    labels,
    results,
    campaigns,
    counts: events === null ? countFromResults : (units) => countFromEvents(events, units),
    paths: { labels: paths.labels, results: paths.results, events },
  });
}

async function siblingEvents(labelsPath: string): Promise<string | null> {
  const candidate = join(dirname(labelsPath), 'events.ndjson');
  try {
    await access(candidate);
    return candidate;
  } catch {
    return null;
  }
}
