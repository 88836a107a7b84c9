import type { Store } from '../ports/index.js';
import { analyzeCampaign, type CampaignAnalysis } from './analysis.js';
import { esc, fmtNum, fmtTs, page, pct, table } from './html.js';
import { barsSvg, signalsSvg, timelineSvg } from './svg.js';

function header(a: CampaignAnalysis, nowTs: number): string {
  const c = a.campaign;
  const kpi = (label: string, value: string): string => `<div class="kpi"><b>${value}</b>${esc(label)}</div>`;
  return `<h1>Incident report: campaign ${esc(c.id)}</h1>
<p class="meta">Generated ${esc(fmtTs(nowTs))} · active ${esc(fmtTs(c.first_seen_ts))} – ${esc(fmtTs(c.last_seen_ts))} · first flagged ${esc(fmtTs(c.first_flagged_ts))}</p>
<div class="kpis">${kpi('score', esc(c.score.toFixed(3)))}${kpi('accounts', esc(fmtNum(a.members_total)))}${kpi('exchanges', esc(fmtNum(c.exchanges)))}${kpi('linking edges', esc(fmtNum(a.edges_total)))}</div>
<h2>Summary</h2><p>${esc(c.explanation)}</p>
${a.members_read < a.members_total ? `<p class="meta">Aggregates below read the ${esc(a.members_read)} largest of ${esc(a.members_total)} member accounts.</p>` : ''}`;
}

function evidence(a: CampaignAnalysis): string {
  const rows = a.evidence.map((e) => {
    const who = e.end_user ? `${e.account} / ${e.end_user}` : e.account;
    const sig = Object.entries(e.signals)
      .slice(0, 4)
      .map(([k, s]) => `${esc(k)} ${esc(s.value.toFixed(3))}${s.baseline === undefined ? '' : ` (baseline ${esc(s.baseline.toFixed(3))})`}`)
      .join('<br>');
    const prompts = e.sample_prompts.map((p) => `<div class="prompt">${esc(p)}</div>`).join('');
    return [esc(who), esc(e.detector), esc(e.score.toFixed(2)), `${esc(e.explanation)}${prompts}`, sig];
  });
  return table(['account', 'detector', 'score', 'finding and sample prompts (redacted, shown as text)', 'signals vs baseline'], rows, [2]);
}

/** Builds the printable incident report of one campaign: self-contained HTML, inline SVG, no script. */
export function renderCampaignReport(a: CampaignAnalysis, nowTs: number): string {
  const timeline = timelineSvg(
    [
      { name: 'accounts first seen', color: '#0969da', points: a.timeline.map((p) => ({ ts: p.ts, value: p.first_seen })) },
      { name: 'accounts flagged', color: '#cf222e', points: a.timeline.map((p) => ({ ts: p.ts, value: p.flagged })) },
    ],
    a.bucket_ms,
  );
  const volume = barsSvg(a.volume.slice(0, 25).map((v) => ({ label: v.end_user ? `${v.account} / ${v.end_user}` : v.account, value: v.exchanges, note: v.action })));
  const caps = a.capabilities.length > 0 ? barsSvg(a.capabilities.map((c) => ({ label: c.name, value: c.share, note: `(${c.accounts} accounts)` })), '#8250df', pct) : '<p class="meta">no capability findings among the members read</p>';
  const dets = barsSvg(a.detectors.map((d) => ({ label: d.name, value: d.accounts })), '#bf8700', (v) => `${v} accounts`);
  const campaignSignals = signalsSvg(Object.entries(a.campaign.signals).filter(([k]) => !['size', 'exchanges', 'score'].includes(k)).map(([name, value]) => ({ name, value, baseline: null })));
  const links = table(['link reason', 'edges', 'total weight'], a.link_reasons.map((r) => [esc(r.kind), esc(r.edges), esc(r.weight.toFixed(2))]), [1, 2]);
  const edges = table(['account', 'account', 'weight', 'shared'], a.edges.slice(0, 30).map((e) => [esc(e.a), esc(e.b), esc(e.weight.toFixed(2)), e.reasons.map((r) => `${esc(r.kind)}=${esc(r.value)}`).join(', ')]), [2]);
  const body = `${header(a, nowTs)}
<h2>Timeline</h2><figure>${timeline}<figcaption>Member accounts first seen and first flagged per ${esc(Math.round(a.bucket_ms / 60_000))}-minute bucket (UTC).</figcaption></figure>
<h2>Volume by account</h2><figure>${volume}<figcaption>Exchanges of the ${esc(Math.min(25, a.volume.length))} largest members, with the recommended action.</figcaption></figure>
<h2>Capability mix</h2><figure>${caps}<figcaption>Task categories targeted, weighted by exchanges (capability-focus findings).</figcaption></figure>
<h2>Evidence</h2><figure>${dets}<figcaption>Members with a finding of at least 0.3, per detector.</figcaption></figure>
<figure>${campaignSignals}<figcaption>Campaign-level signals.</figcaption></figure>
<h3>How the accounts are linked</h3>${links}${edges}
<h3>Findings</h3>${evidence(a)}`;
  return page(`Incident report ${a.campaign.id}`, body);
}

export async function campaignReport(store: Store, id: string, nowTs: number): Promise<string> {
  return renderCampaignReport(await analyzeCampaign(store, id), nowTs);
}
