import { TimeBars, HBars } from '../charts.js';
import { enc } from '../api.js';
import { fmtNum, fmtTs } from '../format.js';
import { Err, Section, useApi } from '../hooks.js';
import type { Overview } from '../types.js';

export function OverviewPage() {
  const { data, error } = useApi<Overview>('/v1/overview');
  if (!data) return <Err error={error} />;
  const kpi = (label: string, value: number, href?: string) => (
    <a className="kpi" href={href}>
      <b>{fmtNum(value)}</b>
      {label}
    </a>
  );
  return (
    <div>
      <h1>Overview</h1>
      <div className="kpis">
        {kpi('accounts', data.accounts, '#/accounts')}
        {kpi('flagged', data.flagged, '#/accounts?flagged=true')}
        {kpi('campaigns', data.campaigns_total, '#/campaigns')}
        {kpi('active decisions', data.decisions['active'] ?? 0, '#/decisions')}
        {kpi('appeals pending', data.appeals_pending, '#/appeals')}
      </div>
      <Section title="Traffic and flags over time">
        <TimeBars
          buckets={data.activity}
          bucketMs={data.bucket_ms}
          series={[
            { name: 'accounts first seen', color: '#2563eb', value: (b) => b.first_seen },
            { name: 'accounts flagged', color: '#dc2626', value: (b) => b.flagged },
          ]}
        />
        <TimeBars buckets={data.activity} bucketMs={data.bucket_ms} height={140} series={[{ name: 'exchanges (by first sight)', color: '#64748b', value: (b) => b.exchanges }]} />
      </Section>
      <div className="grid2">
        <Section title="Top campaigns">
          <table>
            <thead>
              <tr><th>campaign</th><th className="n">score</th><th className="n">accounts</th><th>first flagged</th></tr>
            </thead>
            <tbody>
              {data.top_campaigns.map((c) => (
                <tr key={c.id}>
                  <td><a href={`#/campaigns/${enc(c.id)}`}>{c.id}</a></td>
                  <td className="n">{c.score.toFixed(2)}</td>
                  <td className="n">{fmtNum(c.size)}</td>
                  <td>{fmtTs(c.first_flagged_ts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title="Actions">
          <h3>Decisions by status</h3>
          <HBars rows={Object.entries(data.decisions).map(([label, value]) => ({ label, value }))} color="#dc2626" />
          <h3>Recommended by the scan</h3>
          <HBars rows={Object.entries(data.recommended).sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value }))} />
        </Section>
      </div>
    </div>
  );
}
