import { useState, type FormEvent } from 'react';
import { api, enc, qs, type Page } from '../api.js';
import { describeTarget, fmtTs } from '../format.js';
import { Err, Pager, useApi, usePager } from '../hooks.js';
import type { Decision, Target } from '../types.js';

const ACTIONS = ['monitor', 'review', 'challenge', 'throttle', 'degrade', 'block', 'ban-campaign'];

/** Approve a recommendation (or choose another action) with a reason; the API audits it. */
export function ActionForm({ target, defaultAction, onDone }: { target: Target; defaultAction: string; onDone: (d: Decision) => void }) {
  const [action, setAction] = useState(ACTIONS.includes(defaultAction) ? defaultAction : 'review');
  const [reason, setReason] = useState('');
  const [ttl, setTtl] = useState('7d');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      onDone(await api<Decision>('/v1/decisions', { method: 'POST', body: { target, action, reason, ttl } }));
      setReason('');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'error');
    }
  }
  return (
    <form className="inline" onSubmit={(e) => void submit(e)} data-form="action">
      <select value={action} onChange={(e) => setAction(e.target.value)} aria-label="action">
        {ACTIONS.map((a) => <option key={a}>{a}</option>)}
      </select>
      <select value={ttl} onChange={(e) => setTtl(e.target.value)} aria-label="expires after">
        {['24h', '7d', '30d', '90d'].map((t) => <option key={t}>{t}</option>)}
      </select>
      <input placeholder="reason (required, audited)" value={reason} onChange={(e) => setReason(e.target.value)} aria-label="reason" required minLength={3} />
      <button type="submit">Approve action</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  );
}

function Override({ d, onDone }: { d: Decision; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [action, setAction] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) return <button type="button" onClick={() => setOpen(true)}>Override…</button>;
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await api(`/v1/decisions/${enc(d.id)}/override`, { method: 'POST', body: { reason, ...(action ? { action } : {}) } });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'error');
    }
  }
  return (
    <form className="inline" onSubmit={(e) => void submit(e)}>
      <select value={action} onChange={(e) => setAction(e.target.value)} aria-label="replace with">
        <option value="">lift it</option>
        {ACTIONS.map((a) => <option key={a}>{a}</option>)}
      </select>
      <input placeholder="reason" value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} aria-label="override reason" />
      <button type="submit">Confirm</button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}

export function DecisionsPage({ can }: { can: (p: string) => boolean }) {
  const [status, setStatus] = useState('');
  const [account, setAccount] = useState('');
  const pager = usePager(`${status}|${account}`);
  const { data, error, reload } = useApi<Page<Decision>>(`/v1/decisions${qs({ status, account, limit: 50, cursor: pager.cursor })}`);
  return (
    <div>
      <h1>Decisions</h1>
      <div className="filters">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="status">
          <option value="">any status</option>
          {['active', 'appealed', 'overridden', 'expired'].map((s) => <option key={s}>{s}</option>)}
        </select>
        <input placeholder="account" value={account} onChange={(e) => setAccount(e.target.value)} aria-label="account" />
      </div>
      <Err error={error} />
      <table>
        <thead>
          <tr><th>decision</th><th>target</th><th>action</th><th>status</th><th>by</th><th>created</th><th>expires</th><th>reasons</th>{can('decisions:write') && <th />}</tr>
        </thead>
        <tbody>
          {data?.items.map((d) => (
            <tr key={d.id} data-decision={d.id}>
              <td>{d.id}</td>
              <td>{d.target.kind === 'account' || d.target.kind === 'end_user' ? <a href={`#/accounts/${enc(d.target.account)}`}>{describeTarget(d.target)}</a> : d.target.kind === 'campaign' ? <a href={`#/campaigns/${enc(d.target.campaign)}`}>{describeTarget(d.target)}</a> : describeTarget(d.target)}</td>
              <td>{d.action}</td>
              <td>{d.status}</td>
              <td>{d.source}</td>
              <td>{fmtTs(d.created_ts)}</td>
              <td>{fmtTs(d.expires_ts)}</td>
              <td>{d.reasons.join('; ')}</td>
              {can('decisions:write') && <td>{d.status === 'overridden' ? null : <Override d={d} onDone={reload} />}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={data} pager={pager} size={50} />
    </div>
  );
}
