import { useState } from 'react';
import { qs } from '../api.js';
import { fmtTs } from '../format.js';
import { Err, useApi, usePager } from '../hooks.js';
import type { IntelCollection, IntelObject } from '../types.js';

/** A readable label for a STIX object; only string fields are shown. */
function label(o: Record<string, unknown>): string {
  for (const k of ['name', 'pattern', 'sighting_of_ref']) if (typeof o[k] === 'string') return o[k];
  return '';
}

function Objects({ collection, type }: { collection: string; type: string }) {
  const pager = usePager(`${collection}|${type}`);
  const { data, error } = useApi<{ items: IntelObject[]; next: string | null }>(`/v1/intel/objects${qs({ collection, type, limit: 50, cursor: pager.cursor })}`);
  return (
    <>
      <Err error={error} />
      <table>
        <thead>
          <tr><th>type</th><th>id</th><th>name / pattern</th><th>added</th><th>by</th><th>TLP</th></tr>
        </thead>
        <tbody>
          {data?.items.map((o) => (
            <tr key={`${o.id}@${o.version}`}>
              <td>{o.type}</td>
              <td className="mono">{o.id}</td>
              <td>{label(o.object)}</td>
              <td>{fmtTs(o.date_added)}</td>
              <td>{o.added_by}</td>
              <td>{o.tlp ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" disabled={pager.index === 0} onClick={pager.prev}>‹ previous</button>
        <button type="button" disabled={!data?.next} onClick={() => pager.next(data?.next ?? null)}>next ›</button>
      </div>
    </>
  );
}

export function IntelPage() {
  const { data, error } = useApi<{ items: IntelCollection[] }>('/v1/intel/collections');
  const [selected, setSelected] = useState<string | null>(null);
  const [type, setType] = useState('');
  if (error) return (<div><h1>Intel</h1><p className="muted">{error.includes('no such route') ? 'No intel store configured: start `stillwatch serve` with --intel-db.' : error}</p></div>);
  const collections = data?.items ?? [];
  const current = selected ?? collections[0]?.id ?? null;
  return (
    <div>
      <h1>Intel</h1>
      <div className="grid2">
        {(['shared', 'received'] as const).map((dir) => (
          <section className="card" key={dir}>
            <h2>{dir === 'shared' ? 'What we shared' : 'What we received'}</h2>
            <ul>
              {collections.filter((c) => c.direction === dir).map((c) => (
                <li key={c.id}>
                  <button type="button" className={c.id === current ? 'link active' : 'link'} onClick={() => setSelected(c.id)}>{c.id}</button>
                  {c.last_pull_ts ? ` (last pulled ${fmtTs(c.last_pull_ts)})` : ''}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {current && (
        <section className="card">
          <h2>{current}</h2>
          <div className="filters">
            <select value={type} onChange={(e) => setType(e.target.value)} aria-label="object type">
              <option value="">all objects</option>
              <option value="sighting">sightings</option>
              <option value="indicator">indicators</option>
              <option value="campaign">campaigns</option>
            </select>
          </div>
          <Objects collection={current} type={type} />
        </section>
      )}
    </div>
  );
}
