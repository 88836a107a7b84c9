import type { Bucket, Edge } from './types.js';
import { fmtTs } from './format.js';

const W = 900;

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * p >= x) ?? 10) * p;
}

export interface Series {
  name: string;
  color: string;
  value: (b: Bucket) => number;
}

/** Bars over time, one group per bucket. */
export function TimeBars({ buckets, bucketMs, series, height = 200 }: { buckets: Bucket[]; bucketMs: number; series: Series[]; height?: number }) {
  if (buckets.length === 0) return <p className="muted">no data</p>;
  const pad = { l: 48, r: 10, t: 18, b: 24 };
  const t0 = buckets[0]?.ts ?? 0;
  const t1 = (buckets[buckets.length - 1]?.ts ?? 0) + bucketMs;
  const max = niceMax(Math.max(...buckets.flatMap((b) => series.map((s) => s.value(b)))));
  const iw = W - pad.l - pad.r;
  const ih = height - pad.t - pad.b;
  const x = (ts: number) => pad.l + ((ts - t0) / Math.max(1, t1 - t0)) * iw;
  const y = (v: number) => pad.t + ih - (v / max) * ih;
  const bw = Math.max(1, ((bucketMs / Math.max(1, t1 - t0)) * iw) / series.length - 1);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${height}`} role="img" aria-label={series.map((s) => s.name).join(' and ') + ' over time'}>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.l} x2={W - pad.r} y1={y(max * f)} y2={y(max * f)} stroke="#e5e7eb" />
          <text x={pad.l - 4} y={y(max * f) + 4} textAnchor="end" className="tick">{Math.round(max * f)}</text>
        </g>
      ))}
      {series.map((s, si) =>
        buckets.map((b) => (
          <rect key={`${s.name}-${b.ts}`} x={x(b.ts) + si * bw} y={y(s.value(b))} width={bw} height={pad.t + ih - y(s.value(b))} fill={s.color}>
            <title>{`${s.name} ${fmtTs(b.ts)}: ${s.value(b)}`}</title>
          </rect>
        )),
      )}
      <text x={pad.l} y={height - 6} className="tick">{fmtTs(t0)}</text>
      <text x={W - pad.r} y={height - 6} textAnchor="end" className="tick">{fmtTs(t1)}</text>
      {series.map((s, i) => (
        <g key={s.name}>
          <rect x={pad.l + 8 + i * 170} y={2} width={10} height={10} fill={s.color} />
          <text x={pad.l + 22 + i * 170} y={11} className="tick">{s.name}</text>
        </g>
      ))}
    </svg>
  );
}

export interface BarRow {
  label: string;
  value: number;
  note?: string;
  color?: string;
  href?: string;
}

/** Horizontal bars; labels are text nodes (they can be account ids from traffic). */
export function HBars({ rows, color = '#2563eb', format = (v: number) => String(v) }: { rows: BarRow[]; color?: string; format?: (v: number) => string }) {
  if (rows.length === 0) return <p className="muted">no data</p>;
  const rowH = 20;
  const lw = 250;
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${rows.length * rowH + 6}`} role="img">
      {rows.map((r, i) => {
        const yy = 3 + i * rowH;
        const w = Math.max(1, ((W - lw - 130) * r.value) / max);
        const label = r.label.length > 36 ? `${r.label.slice(0, 35)}…` : r.label;
        return (
          <g key={`${r.label}-${i}`}>
            <text x={lw - 6} y={yy + 13} textAnchor="end" className="label">
              {r.href ? <a href={r.href}>{label}</a> : label}
              <title>{r.label}</title>
            </text>
            <rect x={lw} y={yy + 2} width={w} height={rowH - 6} fill={r.color ?? color} />
            <text x={lw + w + 6} y={yy + 13} className="tick">{format(r.value) + (r.note ? ` ${r.note}` : '')}</text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * The campaign's account graph on a circle, each edge labelled with the kinds of what the two
 * accounts share (payment fingerprint, TLS fingerprint, …); the values are in each edge's tooltip.
 */
export function AccountGraph({ edges, onSelect }: { edges: Edge[]; onSelect?: (account: string) => void }) {
  // The best-connected accounts among the strongest edges, so the drawing stays legible.
  const degree = new Map<string, number>();
  for (const e of edges) for (const n of [e.a, e.b]) degree.set(n, (degree.get(n) ?? 0) + e.weight);
  const nodes = [...degree.entries()].sort((x, y) => y[1] - x[1]).slice(0, 40).map(([n]) => n).sort();
  if (nodes.length === 0) return <p className="muted">no linking edges</p>;
  const size = 820;
  const r = size / 2 - 150;
  const pos = new Map(nodes.map((n, i) => [n, { x: size / 2 + r * Math.cos((2 * Math.PI * i) / nodes.length), y: size / 2 + r * Math.sin((2 * Math.PI * i) / nodes.length) }]));
  const shown = edges.filter((e) => pos.has(e.a) && pos.has(e.b));
  const labelled = new Set(shown.slice(0, 12));
  const maxW = Math.max(...shown.map((e) => e.weight), 1);
  return (
    <svg className="chart graph" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`account graph: ${nodes.length} of ${degree.size} accounts`}>
      {shown.map((e, i) => {
        const a = pos.get(e.a);
        const b = pos.get(e.b);
        if (!a || !b) return null;
        const unique = [...new Set(e.reasons.map((x) => x.kind))];
        const kinds = unique.slice(0, 3).join(', ') + (unique.length > 3 ? ` +${unique.length - 3}` : '');
        return (
          <g key={i} className="edge">
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke="#94a3b8" strokeWidth={0.5 + (2.5 * e.weight) / maxW}>
              <title>{`${e.a} — ${e.b} (weight ${e.weight.toFixed(2)}): ${e.reasons.map((x) => `${x.kind}=${x.value}`).join(', ')}`}</title>
            </line>
            {labelled.has(e) && (
              <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2} className="edge-label" textAnchor="middle">
                {kinds}
              </text>
            )}
          </g>
        );
      })}
      {nodes.map((n) => {
        const p = pos.get(n);
        if (!p) return null;
        const right = p.x >= size / 2;
        return (
          <g key={n} className="node" onClick={() => onSelect?.(n)}>
            <circle cx={p.x} cy={p.y} r={6} fill="#dc2626" />
            <text x={p.x + (right ? 9 : -9)} y={p.y + 4} textAnchor={right ? 'start' : 'end'} className="node-label">
              {n.length > 18 ? `${n.slice(0, 17)}…` : n}
            </text>
            <title>{n}</title>
          </g>
        );
      })}
    </svg>
  );
}

export interface SignalRow {
  name: string;
  value: number;
  baseline: number | null;
  note?: string;
}

/**
 * One row per signal, each on its own scale (signals mix shares, counts and days): the bar is
 * the value, the dark tick the baseline it was compared with; red when at or over the baseline.
 */
export function SignalBars({ rows }: { rows: SignalRow[] }) {
  if (rows.length === 0) return <p className="muted">no signals</p>;
  const rowH = 24;
  const lw = 280;
  const bw = W - lw - 220;
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${rows.length * rowH + 6}`} role="img" aria-label="signals against their baselines">
      {rows.map((r, i) => {
        const yy = 3 + i * rowH;
        const scale = Math.max(Math.abs(r.value), Math.abs(r.baseline ?? 0), 1e-9) * 1.1;
        const over = r.baseline !== null && r.value >= r.baseline;
        const bx = r.baseline === null ? null : lw + (bw * Math.abs(r.baseline)) / scale;
        return (
          <g key={`${r.name}-${i}`}>
            <text x={lw - 6} y={yy + 15} textAnchor="end" className="label">{r.name}</text>
            <rect x={lw} y={yy + 4} width={bw} height={rowH - 8} fill="#f1f5f9" />
            <rect x={lw} y={yy + 4} width={Math.max(1, (bw * Math.abs(r.value)) / scale)} height={rowH - 8} fill={r.baseline === null ? '#64748b' : over ? '#dc2626' : '#2563eb'} />
            {bx !== null && <line x1={bx} x2={bx} y1={yy + 1} y2={yy + rowH - 1} stroke="#111827" strokeWidth={2} />}
            <text x={lw + bw + 8} y={yy + 15} className="tick">
              {fmt(r.value)}
              {r.baseline !== null ? ` vs baseline ${fmt(r.baseline)}` : ''}
            </text>
            {r.note && <title>{r.note}</title>}
          </g>
        );
      })}
    </svg>
  );
}
