import { useState, type FormEvent } from 'react';
import { api, enc, qs, type Page } from '../api.js';
import { fmtTs } from '../format.js';
import { Err, Pager, useApi, usePager } from '../hooks.js';
import type { Appeal } from '../types.js';

function Resolve({ a, onDone }: { a: Appeal; onDone: (msg: string) => void }) {
  const [outcome, setOutcome] = useState('upheld');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await api<{ lifted: string[]; kept?: string[] }>(`/v1/appeals/${enc(a.id)}/resolve`, { method: 'POST', body: { outcome, reason } });
      const kept = r.kept?.length ? `; ${r.kept.length} shared decision(s) stay in force for others, account exempted` : '';
      onDone(`appeal ${a.id} ${outcome}${r.lifted.length ? `; lifted ${r.lifted.length} decision(s)` : ''}${kept}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'error');
    }
  }
  return (
    <form className="inline" onSubmit={(e) => void submit(e)} data-form="resolve">
      <select value={outcome} onChange={(e) => setOutcome(e.target.value)} aria-label="outcome">
        <option value="upheld">uphold the decision</option>
        <option value="overturned">overturn it (lifts every decision on the account)</option>
      </select>
      <input placeholder="reason (required, audited)" value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} aria-label="resolution reason" />
      <button type="submit">Resolve</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  );
}

export function AppealsPage({ can }: { can: (p: string) => boolean }) {
  const [status, setStatus] = useState('pending');
  const [msg, setMsg] = useState<string | null>(null);
  const pager = usePager(status);
  const { data, error, reload } = useApi<Page<Appeal>>(`/v1/appeals${qs({ status, limit: 25, cursor: pager.cursor })}`);
  return (
    <div>
      <h1>Appeals</h1>
      <div className="filters">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="status">
          <option value="">all</option>
          {['pending', 'upheld', 'overturned'].map((s) => <option key={s}>{s}</option>)}
        </select>
      </div>
      {msg && <p className="ok" role="status">{msg}</p>}
      <Err error={error} />
      <table>
        <thead>
          <tr><th>appeal</th><th>account</th><th>decision</th><th>submitted</th><th>message (from the appellant)</th><th>status</th><th>resolution</th></tr>
        </thead>
        <tbody>
          {data?.items.map((a) => (
            <tr key={a.id} data-appeal={a.id}>
              <td>{a.id}</td>
              <td><a href={`#/accounts/${enc(a.account)}`}>{a.account}</a></td>
              <td>{a.decision_id}</td>
              <td>{fmtTs(a.submitted_ts)}</td>
              <td><pre className="prompt">{a.message}</pre></td>
              <td>{a.status}</td>
              <td>
                {a.status === 'pending' ? (
                  can('appeals:resolve') ? <Resolve a={a} onDone={(m) => { setMsg(m); reload(); }} /> : '—'
                ) : (
                  `${a.resolver ?? ''}: ${a.resolution_reason ?? ''} (${fmtTs(a.resolved_ts)})`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={data} pager={pager} size={25} />
    </div>
  );
}
