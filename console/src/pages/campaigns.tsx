import { useState } from 'react';
import { enc, qs, type Page } from '../api.js';
import { AccountGraph, HBars, TimeBars } from '../charts.js';
import { MinScoreFilter } from '../filters.js';
import { fmtNum, fmtTs } from '../format.js';
import { Err, Pager, Prompt, Section, useApi, usePager } from '../hooks.js';
import type { AccountSummary, CampaignAnalysis, CampaignSummary } from '../types.js';
import { ActionForm } from './decisions.js';

const SIZE = 25;

export function CampaignsPage() {
  const [minScore, setMinScore] = useState('');
  const pager = usePager(minScore);
  const { data, error } = useApi<Page<CampaignSummary>>(`/v1/campaigns${qs({ limit: SIZE, min_score: minScore, cursor: pager.cursor })}`);
  return (
    <div>
      <h1>Campaigns</h1>
      <div className="filters">
        <MinScoreFilter value={minScore} onChange={setMinScore} />
      </div>
      <Err error={error} />
      <table>
        <thead>
          <tr><th>campaign</th><th className="n">score</th><th className="n">accounts</th><th className="n">exchanges</th><th>linked by</th><th>first flagged</th></tr>
        </thead>
        <tbody>
          {data?.items.map((c) => (
            <tr key={c.id}>
              <td><a href={`#/campaigns/${enc(c.id)}`} data-campaign={c.id}>{c.id}</a></td>
              <td className="n">{c.score.toFixed(2)}</td>
              <td className="n">{fmtNum(c.size)}</td>
              <td className="n">{fmtNum(c.exchanges)}</td>
              <td>{c.link_kinds.join(', ')}</td>
              <td>{fmtTs(c.first_flagged_ts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={data} pager={pager} size={SIZE} />
    </div>
  );
}

function Members({ id }: { id: string }) {
  const pager = usePager(id);
  const { data, error } = useApi<Page<AccountSummary>>(`/v1/campaigns/${enc(id)}/accounts${qs({ limit: 20, sort: 'exchanges', cursor: pager.cursor })}`);
  return (
    <>
      <Err error={error} />
      <table>
        <thead>
          <tr><th>account</th><th className="n">score</th><th className="n">exchanges</th><th>action</th></tr>
        </thead>
        <tbody>
          {data?.items.map((a) => (
            <tr key={`${a.account}/${a.end_user ?? ''}`}>
              <td><a href={`#/accounts/${enc(a.account)}`}>{a.account}</a>{a.end_user ? ` / ${a.end_user}` : ''}</td>
              <td className="n">{a.score.toFixed(2)}</td>
              <td className="n">{fmtNum(a.exchanges)}</td>
              <td>{a.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={data} pager={pager} size={20} />
    </>
  );
}

export function CampaignPage({ id, can }: { id: string; can: (p: string) => boolean }) {
  const { data, error } = useApi<CampaignAnalysis>(`/v1/campaigns/${enc(id)}`);
  const [done, setDone] = useState<string | null>(null);
  if (!data) return <Err error={error} />;
  const c = data.campaign;
  return (
    <div>
      <h1>Campaign <span data-testid="campaign-id">{c.id}</span></h1>
      <p className="muted">
        score {c.score.toFixed(3)} · {fmtNum(data.members_total)} accounts · {fmtNum(c.exchanges)} exchanges · {fmtTs(c.first_seen_ts)} – {fmtTs(c.last_seen_ts)} · first flagged {fmtTs(c.first_flagged_ts)}
      </p>
      <p className="explanation">{c.explanation}</p>
      {can('decisions:write') && (
        <Section title="Act on this campaign">
          <ActionForm target={{ kind: 'campaign', campaign: c.id }} defaultAction="ban-campaign" onDone={(d) => setDone(`decision ${d.id} recorded: ${d.action}`)} />
          {done && <p className="ok" role="status">{done}</p>}
        </Section>
      )}
      <Section title={`Account graph (${data.edges.length} of ${data.edges_total} strongest links)`}>
        <AccountGraph edges={data.edges} onSelect={(a) => (location.hash = `#/accounts/${enc(a)}`)} />
        <table>
          <thead>
            <tr><th>link reason</th><th className="n">edges</th><th className="n">weight</th></tr>
          </thead>
          <tbody>
            {data.link_reasons.map((r) => (
              <tr key={r.kind}><td>{r.kind}</td><td className="n">{r.edges}</td><td className="n">{r.weight.toFixed(2)}</td></tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Timeline">
        <TimeBars buckets={data.timeline} bucketMs={data.bucket_ms} series={[{ name: 'accounts first seen', color: '#2563eb', value: (b) => b.first_seen }, { name: 'accounts flagged', color: '#dc2626', value: (b) => b.flagged }]} />
      </Section>
      <div className="grid2">
        <Section title="Volume per account">
          <HBars rows={data.volume.slice(0, 20).map((v) => ({ label: v.end_user ? `${v.account} / ${v.end_user}` : v.account, value: v.exchanges, note: v.action, href: `#/accounts/${enc(v.account)}` }))} />
        </Section>
        <Section title="Targeted capabilities">
          <HBars rows={data.capabilities.map((x) => ({ label: x.name, value: x.share, note: `(${x.accounts} accounts)` }))} color="#7c3aed" format={(v) => `${(v * 100).toFixed(0)}%`} />
          <h3>Detectors firing</h3>
          <HBars rows={data.detectors.map((x) => ({ label: x.name, value: x.accounts }))} color="#ca8a04" />
        </Section>
      </div>
      <Section title="Evidence">
        <table>
          <thead>
            <tr><th>account</th><th>detector</th><th className="n">score</th><th>finding and sample prompts</th></tr>
          </thead>
          <tbody>
            {data.evidence.map((e, i) => (
              <tr key={i}>
                <td><a href={`#/accounts/${enc(e.account)}`}>{e.account}</a></td>
                <td>{e.detector}</td>
                <td className="n">{e.score.toFixed(2)}</td>
                <td>
                  {e.explanation}
                  {e.sample_prompts.map((p, k) => <Prompt key={k} text={p} />)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Members">
        <Members id={id} />
      </Section>
    </div>
  );
}
