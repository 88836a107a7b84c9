import { useState } from 'react';
import { enc, qs, type Page } from '../api.js';
import { SignalBars } from '../charts.js';
import { MinScoreFilter } from '../filters.js';
import { describeTarget, fmtNum, fmtTs } from '../format.js';
import { Err, Pager, Prompt, Section, useApi, usePager } from '../hooks.js';
import type { Account, AccountSummary, Decision } from '../types.js';
import { ActionForm } from './decisions.js';

const SIZE = 50;

function hashParam(name: string): string {
  return new URLSearchParams(location.hash.split('?')[1] ?? '').get(name) ?? '';
}

export function AccountsPage() {
  const [search, setSearch] = useState('');
  const [flagged, setFlagged] = useState(hashParam('flagged'));
  const [sort, setSort] = useState('score');
  const [minScore, setMinScore] = useState('');
  const key = `${search}|${flagged}|${sort}|${minScore}`;
  const pager = usePager(key);
  const { data, error } = useApi<Page<AccountSummary>>(`/v1/accounts${qs({ limit: SIZE, search, flagged, sort, min_score: minScore, cursor: pager.cursor })}`);
  return (
    <div>
      <h1>Accounts</h1>
      <div className="filters">
        <input placeholder="search account id" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="search" />
        <select value={flagged} onChange={(e) => setFlagged(e.target.value)} aria-label="flagged">
          <option value="">all</option>
          <option value="true">flagged</option>
          <option value="false">not flagged</option>
        </select>
        <select value={sort} onChange={(e) => setSort(e.target.value)} aria-label="sort">
          <option value="score">by score</option>
          <option value="exchanges">by exchanges</option>
          <option value="account">by id</option>
        </select>
        <MinScoreFilter value={minScore} onChange={setMinScore} />
      </div>
      <Err error={error} />
      <table>
        <thead>
          <tr><th>account</th><th className="n">score</th><th>action</th><th>campaign</th><th className="n">exchanges</th><th>top detectors</th></tr>
        </thead>
        <tbody>
          {data?.items.map((a) => (
            <tr key={`${a.account}/${a.end_user ?? ''}`} className={a.flagged ? 'flagged' : ''}>
              <td><a href={`#/accounts/${enc(a.account)}${a.end_user ? `?end_user=${enc(a.end_user)}` : ''}`}>{a.account}</a>{a.end_user ? ` / ${a.end_user}` : ''}</td>
              <td className="n">{a.score.toFixed(2)}</td>
              <td>{a.action}</td>
              <td>{a.campaign ? <a href={`#/campaigns/${enc(a.campaign)}`}>{a.campaign}</a> : '—'}</td>
              <td className="n">{fmtNum(a.exchanges)}</td>
              <td>{[...a.detectors].sort((x, y) => y.score - x.score).slice(0, 3).map((d) => d.detector).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={data} pager={pager} size={SIZE} />
    </div>
  );
}

export function AccountPage({ id, can }: { id: string; can: (p: string) => boolean }) {
  const endUser = hashParam('end_user');
  const { data, error } = useApi<Account>(`/v1/accounts/${enc(id)}${qs({ end_user: endUser })}`);
  const decisions = useApi<Page<Decision>>(can('decisions:read') ? `/v1/decisions${qs({ account: id, limit: 50 })}` : null);
  const [done, setDone] = useState<string | null>(null);
  if (!data) return <Err error={error} />;
  return (
    <div>
      <h1>Account <span data-testid="account-id">{data.account}</span>{data.end_user ? ` / ${data.end_user}` : ''}</h1>
      <p className="muted">
        score {data.score.toFixed(3)} · recommended {data.action} · {fmtNum(data.exchanges)} exchanges · seen {fmtTs(data.first_seen_ts)} – {fmtTs(data.last_seen_ts)} · first flagged {fmtTs(data.first_flagged_ts)}
        {data.campaign && <> · campaign <a href={`#/campaigns/${enc(data.campaign)}`}>{data.campaign}</a></>}
      </p>
      {can('decisions:write') && (
        <Section title="Act on this account">
          <ActionForm target={data.end_user ? { kind: 'end_user', account: data.account, end_user: data.end_user } : { kind: 'account', account: data.account }} defaultAction={data.action === 'allow' ? 'monitor' : data.action} onDone={(d) => { setDone(`decision ${d.id} recorded`); decisions.reload(); }} />
          {done && <p className="ok" role="status">{done}</p>}
        </Section>
      )}
      {[...data.reasons].sort((a, b) => b.score - a.score).map((f) => (
        <Section key={f.detector} title={`${f.detector} — ${f.score.toFixed(2)}`}>
          <p>{f.explanation}</p>
          <SignalBars rows={Object.entries(f.signals).map(([name, sig]) => ({ name: `${name}${sig.unit ? ` (${sig.unit})` : ''}`, value: sig.value, baseline: sig.baseline ?? null, note: sig.baseline_note }))} />
          <p className="muted">Bars: measured value; dark tick: baseline{f.signals[Object.keys(f.signals)[0] ?? '']?.baseline_note ? ` (${f.signals[Object.keys(f.signals)[0] ?? '']?.baseline_note ?? ''})` : ''}.</p>
          {f.sample_prompts.length > 0 && <h3>Sample prompts (redacted; shown as text)</h3>}
          {f.sample_prompts.map((p, i) => <Prompt key={i} text={p} />)}
          {f.event_ids.length > 0 && <p className="muted">events: {f.event_ids.join(', ')}</p>}
        </Section>
      ))}
      {can('decisions:read') && (
        <Section title="Decision history">
          <Err error={decisions.error} />
          <table>
            <thead>
              <tr><th>decision</th><th>target</th><th>action</th><th>status</th><th>by</th><th>created</th><th>reasons</th></tr>
            </thead>
            <tbody>
              {decisions.data?.items.map((d) => (
                <tr key={d.id}><td>{d.id}</td><td>{describeTarget(d.target)}</td><td>{d.action}</td><td>{d.status}</td><td>{d.source}</td><td>{fmtTs(d.created_ts)}</td><td>{d.reasons.join('; ')}</td></tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
    </div>
  );
}
