import type { AccountResult } from '../domain/index.js';
import type { Campaign } from '../domain/index.js';
import type { Decision } from '../domain/index.js';
import type { Appeal } from '../ports/index.js';

export interface DecisionExplanation {
  decision: Decision;
  /** Whether the gateway enforces it now. */
  enforced: boolean;
  made_by: 'policy' | 'allowlist' | 'analyst';
  summary: string;
  expires_at: string | null;
  evidence: { detector: string; score: number; explanation: string }[];
  campaign: { id: string; score: number; size: number; explanation: string } | null;
  appeals: Appeal[];
}

function madeBy(source: string): DecisionExplanation['made_by'] {
  if (source.startsWith('policy:')) return 'policy';
  if (source.startsWith('allowlist:')) return 'allowlist';
  return 'analyst';
}

function describeTarget(d: Decision): string {
  const t = d.target;
  switch (t.kind) {
    case 'account': return `account ${t.account}`;
    case 'end_user': return `end user ${t.end_user} of account ${t.account}`;
    case 'campaign': return `every account of campaign ${t.campaign}`;
    case 'ip':
    case 'cidr':
    case 'asn':
    case 'tls_fp':
      return `traffic from ${t.kind} ${t.value}`;
  }
}

/**
 * Puts a decision in words with the evidence behind it: what it does, to whom, why, until
 * when, and where it stands on appeal.
 */
export function explainDecision(d: Decision, ctx: { account: AccountResult | null; campaign: Campaign | null; appeals: Appeal[]; nowTs: number }): DecisionExplanation {
  const live = d.expires_ts === null || d.expires_ts > ctx.nowTs;
  const enforced = live && (d.status === 'active' || d.status === 'appealed');
  const params = Object.entries(d.params).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  const state = !live ? 'expired' : d.status === 'overridden' ? 'lifted (overridden)' : d.status === 'appealed' ? 'enforced, under appeal' : 'enforced';
  return {
    decision: d,
    enforced,
    made_by: madeBy(d.source),
    summary: `${d.action}${params ? ` (${params})` : ''} for ${describeTarget(d)}; ${state}; made by ${d.source}. ${d.reasons[0] ?? ''}`.trim(),
    expires_at: d.expires_ts === null ? null : new Date(d.expires_ts).toISOString(),
    evidence: (ctx.account?.reasons ?? []).map((f) => ({ detector: f.detector, score: f.score, explanation: f.explanation })),
    campaign: ctx.campaign ? { id: ctx.campaign.id, score: ctx.campaign.score, size: ctx.campaign.size, explanation: ctx.campaign.explanation } : null,
    appeals: ctx.appeals,
  };
}
