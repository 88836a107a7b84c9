import { useState, type FormEvent } from 'react';
import { api, enc } from '../api.js';
import { fmtTs } from '../format.js';
import { Err, useApi } from '../hooks.js';
import type { AllowlistEntry } from '../types.js';

export function AllowlistPage({ can }: { can: (p: string) => boolean }) {
  const { data, error, reload } = useApi<{ items: AllowlistEntry[] }>('/v1/allowlist');
  const [subject, setSubject] = useState('account:');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('30');
  const [formError, setFormError] = useState<string | null>(null);
  async function add(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      await api('/v1/allowlist', { method: 'POST', body: { subject, owner: 'console', reason, expires_at: new Date(Date.now() + Number(days) * 86_400_000).toISOString() } });
      setReason('');
      reload();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'error');
    }
  }
  async function remove(id: string) {
    await api(`/v1/allowlist/${enc(id)}`, { method: 'DELETE' }).catch((e: unknown) => setFormError(e instanceof Error ? e.message : 'error'));
    reload();
  }
  return (
    <div>
      <h1>Allowlist</h1>
      <p className="muted">An entry exempts an account, end user or organisation from every decision until it expires.</p>
      {can('allowlist:write') && (
        <form className="inline" onSubmit={(e) => void add(e)} data-form="allowlist">
          <input value={subject} onChange={(e) => setSubject(e.target.value)} aria-label="subject" placeholder="account:ID, org:ORG or end_user:ACCOUNT/USER" required />
          <input value={reason} onChange={(e) => setReason(e.target.value)} aria-label="allowlist reason" placeholder="reason" required minLength={3} />
          <select value={days} onChange={(e) => setDays(e.target.value)} aria-label="days">
            {['7', '30', '90'].map((d) => <option key={d} value={d}>{d} days</option>)}
          </select>
          <button type="submit">Add</button>
          {formError && <span className="error" role="alert">{formError}</span>}
        </form>
      )}
      <Err error={error} />
      <table>
        <thead>
          <tr><th>subject</th><th>owner</th><th>reason</th><th>created</th><th>expires</th>{can('allowlist:write') && <th />}</tr>
        </thead>
        <tbody>
          {data?.items.map((a) => (
            <tr key={a.id}>
              <td>{a.subject}</td><td>{a.owner}</td><td>{a.reason}</td><td>{fmtTs(a.created_ts)}</td><td>{fmtTs(a.expires_ts)}</td>
              {can('allowlist:write') && <td><button type="button" onClick={() => void remove(a.id)}>Remove</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
