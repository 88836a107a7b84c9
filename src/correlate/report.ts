import type { Campaign, CampaignEdge, Finding, LinkReason, SignalEvidence } from '../domain/index.js';
import { edgeReasons, round, type SpecOf } from './evidence.js';
import type { CampaignSignals } from './score.js';

/** Per-kind totals of the reasons on a set of edges, strongest first. */
export function topKinds(reasons: readonly LinkReason[], limit = 4): { kind: string; weight: number }[] {
  const byKind = new Map<string, number>();
  for (const r of reasons) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.weight);
  return [...byKind]
    .map(([kind, weight]) => ({ kind, weight: round(weight) }))
    .sort((a, b) => b.weight - a.weight || a.kind.localeCompare(b.kind))
    .slice(0, limit);
}

export interface FindingInput {
  campaign: string;
  signals: CampaignSignals;
  threshold: number;
  /** Reasons on the edges that tie this account to the campaign. */
  reasons: readonly LinkReason[];
  /** How the account came in: flagged with the group, or linked to an already flagged campaign. */
  via: 'group' | 'link';
}

/**
 * The finding that flags an account through its campaign: the campaign's score is the
 * account's score, and the evidence is the campaign (id, size, what links it) rather than
 * anything the account did on its own.
 */
export function campaignFinding(input: FindingInput): Finding {
  const s = input.signals;
  const kinds = topKinds(input.reasons);
  const shared = kinds.length > 0 ? kinds.map((k) => k.kind).join(', ') : 'no direct edge (linked through other members)';
  const how = input.via === 'group' ? 'flagged with its campaign' : 'linked to an already flagged campaign';
  const ev = (value: number, extra: Partial<SignalEvidence> = {}): SignalEvidence => ({ value: round(value), ...extra });
  const signals: Record<string, SignalEvidence> = {
    campaign_score: ev(s.score, {
      baseline: input.threshold,
      baseline_note: 'campaign flag threshold, above the highest benign group score measured on simulated benign traffic',
    }),
    campaign_size: ev(s.size, { unit: 'accounts' }),
    campaign_exchanges: ev(s.exchanges, { unit: 'exchanges' }),
    behaviour: ev(s.behaviour),
    coordination: ev(s.coordination),
  };
  for (const k of kinds) signals[`shared_${k.kind}`] = ev(k.weight, { unit: 'link weight' });
  return {
    detector: 'campaign',
    score: round(Math.min(1, Math.max(0, s.score))),
    explanation:
      `Member of campaign ${input.campaign} (${s.size} accounts, ${s.exchanges} exchanges, score ${round(s.score, 2)} ≥ ${input.threshold}); ` +
      `${how}; shared with other members: ${shared}.`,
    signals,
    event_ids: [],
    sample_prompts: [],
  };
}

export interface CampaignView {
  id: string;
  members: readonly string[];
  first_seen_ts: number;
  last_seen_ts: number;
  first_flagged_ts: number | null;
  signals: CampaignSignals;
  /** Edges in listing order: a spanning forest first (the edges that formed it). */
  edges: readonly { a: string; b: string; shared: readonly string[] }[];
  weightOf: (shared: readonly string[]) => number;
  specOf: SpecOf;
}

/** One `campaigns.json` entry. */
export function campaignRecord(v: CampaignView): Campaign {
  const edges: CampaignEdge[] = v.edges.map((e) => ({
    a: e.a,
    b: e.b,
    weight: round(v.weightOf(e.shared)),
    reasons: edgeReasons(e.shared, v.specOf),
  }));
  const all = edges.flatMap((e) => e.reasons);
  const kinds = topKinds(all, 6).map((k) => k.kind);
  const s = v.signals;
  const numeric: Record<string, number> = {};
  for (const [name, value] of Object.entries(s) as [string, number][]) numeric[name] = round(value);
  return {
    id: v.id,
    score: round(Math.min(1, Math.max(0, s.score))),
    accounts: [...v.members],
    size: v.members.length,
    first_seen_ts: v.first_seen_ts,
    last_seen_ts: v.last_seen_ts,
    first_flagged_ts: v.first_flagged_ts,
    exchanges: s.exchanges,
    signals: numeric,
    edges,
    explanation:
      `${v.members.length} accounts linked by ${kinds.join(', ') || 'shared values'}; behaviour ${round(s.behaviour, 2)} ` +
      `(elicitation ${round(s.elicitation, 2)}), coordination ${round(s.coordination, 2)} (payment ${round(s.payment_share, 2)}, ` +
      `signup burst ${round(s.signup_burst, 2)}, infrastructure ${round(s.infra_concentration, 2)}, template ${round(s.template_share, 2)}).`,
  };
}
