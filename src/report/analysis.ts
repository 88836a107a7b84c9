import type { AccountResult, Campaign, CampaignEdge, Finding } from '../domain/index.js';
import { StillwatchError } from '../domain/index.js';
import type { Store } from '../ports/index.js';

export interface TimelinePoint {
  ts: number;
  first_seen: number;
  flagged: number;
  exchanges: number;
}
export interface VolumeRow {
  account: string;
  end_user: string | null;
  exchanges: number;
  score: number;
  flagged: boolean;
  action: string;
}
export interface MixRow {
  name: string;
  /** Share of the campaign's exchanges (capabilities) or of its members (detectors). */
  share: number;
  accounts: number;
}
export interface EvidenceRow {
  account: string;
  end_user: string | null;
  detector: string;
  score: number;
  explanation: string;
  signals: Finding['signals'];
  event_ids: string[];
  /** Attacker-controlled text: every consumer must render it as text. */
  sample_prompts: string[];
}
export interface LinkReasonRow {
  kind: string;
  edges: number;
  weight: number;
}

export interface CampaignAnalysis {
  campaign: Omit<Campaign, 'edges' | 'accounts'>;
  members_total: number;
  /** Members read for the aggregates (the biggest first); the rest are counted, not read. */
  members_read: number;
  timeline: TimelinePoint[];
  bucket_ms: number;
  volume: VolumeRow[];
  capabilities: MixRow[];
  detectors: MixRow[];
  evidence: EvidenceRow[];
  link_reasons: LinkReasonRow[];
  /** The strongest edges (at most `maxEdges`), for drawing the account graph. */
  edges: CampaignEdge[];
  edges_total: number;
}

export interface AnalysisOptions {
  maxMembers?: number;
  maxEdges?: number;
  maxEvidence?: number;
}

/** Members biggest first, paged from the store; never more than `max`. */
async function readMembers(store: Store, id: string, max: number): Promise<{ members: AccountResult[]; total: number }> {
  const members: AccountResult[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const page = await store.listAccounts({ campaign: id, sort: 'exchanges', limit: Math.min(500, max - members.length), cursor });
    total = page.total;
    members.push(...page.items);
    cursor = page.next;
  } while (cursor !== null && members.length < max);
  return { members, total };
}

/** Bucket width giving about 48 buckets over the campaign's span, rounded to a whole minute/hour. */
export function bucketFor(spanMs: number): number {
  const raw = Math.max(60_000, spanMs / 48);
  const steps = [60_000, 300_000, 900_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];
  return steps.find((s) => s >= raw) ?? 7 * 86_400_000;
}

function timelineOf(members: readonly AccountResult[], bucketMs: number): TimelinePoint[] {
  const m = new Map<number, TimelinePoint>();
  const at = (ts: number): TimelinePoint => {
    const k = Math.floor(ts / bucketMs) * bucketMs;
    let p = m.get(k);
    if (!p) m.set(k, (p = { ts: k, first_seen: 0, flagged: 0, exchanges: 0 }));
    return p;
  };
  for (const a of members) {
    const p = at(a.first_seen_ts);
    p.first_seen += 1;
    p.exchanges += a.exchanges;
    if (a.flagged && a.first_flagged_ts !== null) at(a.first_flagged_ts).flagged += 1;
  }
  return [...m.values()].sort((x, y) => x.ts - y.ts);
}

/** The capability detector explains its task mix as "task mix: coding 60%, math 40% (top: …)". */
export function parseTaskMix(explanation: string): Map<string, number> {
  const out = new Map<string, number>();
  const m = /task mix:\s*([^(;]*)/.exec(explanation);
  if (!m?.[1]) return out;
  for (const part of m[1].split(',')) {
    const pm = /^\s*([\w-]+)\s+(\d+(?:\.\d+)?)%\s*$/.exec(part);
    if (pm?.[1] && pm[2]) out.set(pm[1], Number(pm[2]) / 100);
  }
  return out;
}

function capabilitiesOf(members: readonly AccountResult[]): MixRow[] {
  const weight = new Map<string, { w: number; n: number }>();
  let total = 0;
  for (const a of members) {
    const f = a.reasons.find((r) => r.detector === 'capability-focus');
    if (!f) continue;
    for (const [name, share] of parseTaskMix(f.explanation)) {
      const e = weight.get(name) ?? { w: 0, n: 0 };
      e.w += share * a.exchanges;
      e.n += 1;
      weight.set(name, e);
      total += share * a.exchanges;
    }
  }
  return [...weight.entries()].map(([name, e]) => ({ name, share: total > 0 ? e.w / total : 0, accounts: e.n })).sort((a, b) => b.share - a.share);
}

function detectorsOf(members: readonly AccountResult[]): MixRow[] {
  const n = new Map<string, number>();
  for (const a of members) for (const r of a.reasons) if (r.score >= 0.3) n.set(r.detector, (n.get(r.detector) ?? 0) + 1);
  return [...n.entries()].map(([name, k]) => ({ name, accounts: k, share: members.length > 0 ? k / members.length : 0 })).sort((a, b) => b.accounts - a.accounts);
}

function evidenceOf(members: readonly AccountResult[], max: number): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  for (const a of members)
    for (const r of a.reasons)
      if (r.detector !== 'campaign')
        rows.push({ account: a.account, end_user: a.end_user ?? null, detector: r.detector, score: r.score, explanation: r.explanation, signals: r.signals, event_ids: r.event_ids.slice(0, 5), sample_prompts: r.sample_prompts.slice(0, 3) });
  // Prefer findings with prompt samples, then the strongest; one per (account, detector).
  return rows.sort((x, y) => Number(y.sample_prompts.length > 0) - Number(x.sample_prompts.length > 0) || y.score - x.score).slice(0, max);
}

function linkReasonsOf(edges: readonly CampaignEdge[]): LinkReasonRow[] {
  const m = new Map<string, LinkReasonRow>();
  for (const e of edges)
    for (const r of e.reasons) {
      const row = m.get(r.kind) ?? { kind: r.kind, edges: 0, weight: 0 };
      row.edges += 1;
      row.weight += r.weight;
      m.set(r.kind, row);
    }
  return [...m.values()].sort((a, b) => b.weight - a.weight);
}

/**
 * Everything an analyst (or the incident report) needs about one campaign, computed from the
 * store with bounded reads: at most `maxMembers` member records, the strongest `maxEdges` edges.
 */
export async function analyzeCampaign(store: Store, id: string, options: AnalysisOptions = {}): Promise<CampaignAnalysis> {
  const c = await store.getCampaign(id);
  if (!c) throw new StillwatchError('NOT_FOUND', `no campaign ${id}`);
  const { members, total } = await readMembers(store, id, options.maxMembers ?? 5000);
  const span = Math.max(...members.map((a) => a.last_seen_ts), c.last_seen_ts) - Math.min(...members.map((a) => a.first_seen_ts), c.first_seen_ts);
  const bucketMs = bucketFor(span);
  const { edges, accounts: _accounts, ...header } = c;
  return {
    campaign: header,
    members_total: total,
    members_read: members.length,
    timeline: timelineOf(members, bucketMs),
    bucket_ms: bucketMs,
    volume: members.slice(0, 40).map((a) => ({ account: a.account, end_user: a.end_user ?? null, exchanges: a.exchanges, score: a.score, flagged: a.flagged, action: a.action })),
    capabilities: capabilitiesOf(members),
    detectors: detectorsOf(members),
    evidence: evidenceOf(members, options.maxEvidence ?? 20),
    link_reasons: linkReasonsOf(edges),
    edges: [...edges].sort((a, b) => b.weight - a.weight).slice(0, options.maxEdges ?? 200),
    edges_total: edges.length,
  };
}
