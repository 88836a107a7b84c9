import type { AccountResult, Campaign, Decision } from '../domain/index.js';
import { evaluatePolicy, strongestAction, type Policy } from '../policy/index.js';
import type { ClusterResults } from '../cluster/index.js';
import type { Store } from '../ports/index.js';

/** The cluster's counts for one result set; at a finish they cover ingest and every worker. */
export interface ClusterSummary {
  final: boolean;
  tick: { n: number; now: number };
  accounts: number;
  events: number;
  /** Null until ingest's counts for this finish are known (periodic results, or an ingest that never finished). */
  records_read: number | null;
  accepted: number;
  dead_lettered: number;
  duplicates: number;
  /** records_read = accepted + dead_lettered + duplicates (null when records_read is unknown). */
  balanced: boolean | null;
  ingest: ClusterResults['ingest'];
  workers: ClusterResults['counts'];
}

export interface FinalizedResults {
  accounts: AccountResult[];
  decisions: Decision[];
  campaigns: Campaign[];
  summary: ClusterSummary;
}

const byAccount = (a: AccountResult, b: AccountResult): number =>
  a.account !== b.account
    ? a.account < b.account
      ? -1
      : 1
    : (a.end_user ?? '') < (b.end_user ?? '')
      ? -1
      : (a.end_user ?? '') > (b.end_user ?? '')
        ? 1
        : 0;

/**
 * Same post-processing as the embedded scan: campaign membership, policy actions, decisions,
 * order. Synchronous on purpose: it reads the correlator's live campaign state, which moves on
 * as soon as the correlator handles the next tick.
 */
export function finalizeResults(r: ClusterResults, policy: Policy): FinalizedResults {
  const campaigns = r.correlation.campaigns();
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const decisions: Decision[] = [];
  const accounts = r.results.map((res) => {
    const campaignId = r.correlation.campaignOf(res.account);
    const a: AccountResult = { ...res, campaign: campaignId };
    const campaign = campaignId ? byId.get(campaignId) : undefined;
    const ds = evaluatePolicy(policy, {
      kind: 'account',
      result: a,
      campaign: campaign ?? null,
      nowTs: a.first_flagged_ts ?? a.last_seen_ts,
    });
    decisions.push(...ds);
    a.action = ds.length ? strongestAction(ds) : a.flagged ? 'review' : 'allow';
    return a;
  });
  accounts.sort(byAccount);
  for (const c of campaigns)
    decisions.push(
      ...evaluatePolicy(policy, {
        kind: 'campaign',
        campaign: c,
        nowTs: c.first_flagged_ts ?? c.last_seen_ts,
      }),
    );
  return { accounts, decisions, campaigns, summary: summarize(r, accounts.length) };
}

/** Ingest's counts (lines it read, records it accepted or set aside) plus every worker's. */
function summarize(r: ClusterResults, accounts: number): ClusterSummary {
  const w = r.counts;
  const i = r.ingest;
  const accepted = w.accepted + (i?.accepted ?? 0);
  const dead = w.dead_lettered + (i?.dead_lettered ?? 0);
  const records = i?.records_read ?? null;
  return {
    final: r.final,
    tick: r.tick,
    accounts,
    events: w.events,
    records_read: records,
    accepted,
    dead_lettered: dead,
    duplicates: w.duplicates,
    balanced: records === null ? null : records === accepted + dead + w.duplicates,
    ingest: i,
    workers: w,
  };
}

/**
 * Writes one result set to PostgreSQL (the source of truth). Every write is an upsert keyed
 * by account, campaign, decision or scan id, so running it again (a retry after a dropped
 * connection, or a replay) writes the same rows.
 */
export async function writeResults(store: Store, f: FinalizedResults): Promise<void> {
  for (let i = 0; i < f.accounts.length; i += 5_000) await store.putAccounts(f.accounts.slice(i, i + 5_000));
  await store.putCampaigns(f.campaigns);
  for (const d of f.decisions) await store.putDecision(d);
  const { tick } = f.summary;
  await store.putScan({
    // One row per finish; periodic results of an endless stream update a single row.
    id: f.summary.final ? `cluster:${tick.n}:${tick.now}` : 'cluster:periodic',
    ts: tick.now,
    summary: { ...f.summary },
  });
}

/** finalizeResults then writeResults. */
export async function persistResults(
  store: Store,
  r: ClusterResults,
  policy: Policy,
): Promise<AccountResult[]> {
  const f = finalizeResults(r, policy);
  await writeResults(store, f);
  return f.accounts;
}
