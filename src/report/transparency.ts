import type { Decision } from '../domain/index.js';
import type { Appeal, Store } from '../ports/index.js';
import { esc, fmtNum, fmtTs, page, pct, table } from './html.js';
import { barsSvg } from './svg.js';

async function all<T>(list: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const p = await list(cursor);
    out.push(...p.items);
    cursor = p.next;
  } while (cursor !== null);
  return out;
}

export interface TransparencySummary {
  generated_ts: number;
  accounts: number;
  flagged: number;
  recommended: Record<string, number>;
  decisions: number;
  decisions_by_action: Record<string, number>;
  decisions_by_status: Record<string, number>;
  by_people: number;
  appeals: { total: number; pending: number; upheld: number; overturned: number; overturn_rate: number | null; median_resolution_ms: number | null };
}

const count = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const m: Record<string, number> = {};
  for (const x of xs) m[key(x)] = (m[key(x)] ?? 0) + 1;
  return m;
};

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Actions, appeals and how often appeals overturned a decision: what we did and how often we were wrong. */
export async function transparencySummary(store: Store, nowTs: number): Promise<TransparencySummary> {
  const stats = await store.accountStats();
  const decisions = await all<Decision>((cursor) => store.listDecisions({ limit: 500, cursor }));
  const appeals = await all<Appeal>((cursor) => store.listAppeals({ limit: 500, cursor }));
  const resolved = appeals.filter((a) => a.status !== 'pending' && a.resolved_ts !== null);
  const overturned = resolved.filter((a) => a.status === 'overturned').length;
  return {
    generated_ts: nowTs,
    accounts: stats.accounts,
    flagged: stats.flagged,
    recommended: stats.by_action,
    decisions: decisions.length,
    decisions_by_action: count(decisions, (d) => d.action),
    decisions_by_status: count(decisions, (d) => d.status),
    by_people: decisions.filter((d) => d.source.startsWith('analyst:') || d.source.startsWith('override:')).length,
    appeals: {
      total: appeals.length,
      pending: appeals.length - resolved.length,
      upheld: resolved.length - overturned,
      overturned,
      overturn_rate: resolved.length > 0 ? overturned / resolved.length : null,
      median_resolution_ms: median(resolved.map((a) => (a.resolved_ts ?? a.submitted_ts) - a.submitted_ts)),
    },
  };
}

const bars = (m: Record<string, number>, color: string): string =>
  barsSvg(Object.entries(m).sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value })), color, (v) => fmtNum(v));

export function renderTransparencyReport(s: TransparencySummary): string {
  const a = s.appeals;
  const hours = a.median_resolution_ms === null ? '—' : `${(a.median_resolution_ms / 3_600_000).toFixed(1)} h`;
  const body = `<h1>Transparency report</h1>
<p class="meta">Generated ${esc(fmtTs(s.generated_ts))}</p>
<div class="kpis"><div class="kpi"><b>${esc(fmtNum(s.accounts))}</b>accounts scanned</div><div class="kpi"><b>${esc(fmtNum(s.flagged))}</b>flagged</div><div class="kpi"><b>${esc(fmtNum(s.decisions))}</b>decisions</div><div class="kpi"><b>${esc(fmtNum(a.total))}</b>appeals</div><div class="kpi"><b>${esc(pct(a.overturn_rate))}</b>overturn rate</div></div>
<h2>Actions taken</h2><figure>${bars(s.decisions_by_action, '#cf222e')}<figcaption>Decisions by action (${esc(s.by_people)} made or changed by a person).</figcaption></figure>
${table(['status', 'decisions'], Object.entries(s.decisions_by_status).map(([k, v]) => [esc(k), esc(fmtNum(v))]), [1])}
<h2>Recommended by the scan</h2><figure>${bars(s.recommended, '#0969da')}<figcaption>Accounts by recommended action.</figcaption></figure>
<h2>Appeals</h2>
${table(['total', 'pending', 'upheld', 'overturned', 'overturn rate', 'median time to resolve'], [[esc(a.total), esc(a.pending), esc(a.upheld), esc(a.overturned), esc(pct(a.overturn_rate)), esc(hours)]], [0, 1, 2, 3])}
<p class="meta">The overturn rate is overturned ÷ resolved appeals: the share of contested decisions that were wrong.</p>`;
  return page('Transparency report', body);
}

export async function transparencyReport(store: Store, nowTs: number): Promise<string> {
  return renderTransparencyReport(await transparencySummary(store, nowTs));
}
