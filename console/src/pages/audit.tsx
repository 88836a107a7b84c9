import { qs, type Page } from '../api.js';
import { fmtTs } from '../format.js';
import { Err, Pager, useApi, usePager } from '../hooks.js';
import type { AuditEntry } from '../types.js';

export function AuditPage() {
  const pager = usePager('audit');
  const { data, error } = useApi<Page<AuditEntry>>(`/v1/audit${qs({ limit: 50, cursor: pager.cursor })}`);
  return (
    <div>
      <h1>Audit log</h1>
      <p className="muted">Append-only: every write through the API, newest first.</p>
      <Err error={error} />
      <table>
        <thead>
          <tr><th className="n">#</th><th>time</th><th>actor</th><th>action</th><th>target</th><th>detail</th></tr>
        </thead>
        <tbody>
          {data?.items.map((e) => (
            <tr key={e.seq}>
              <td className="n">{e.seq}</td><td>{fmtTs(e.ts)}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td>
              <td><code>{JSON.stringify(e.detail)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={data} pager={pager} size={50} />
    </div>
  );
}
