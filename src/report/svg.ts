import { esc, fmtTs } from './html.js';

export interface SeriesPoint {
  ts: number;
  value: number;
}

const W = 900;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * p >= x) ?? 10) * p;
}

/**
 * A time series as bars (one per bucket) with up to two series side by side; axes labelled
 * with UTC times. Pure SVG: prints crisply and needs no script.
 */
export function timelineSvg(series: readonly { name: string; color: string; points: readonly SeriesPoint[] }[], bucketMs: number, height = 220): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '<p class="meta">no data</p>';
  const t0 = Math.min(...all.map((p) => p.ts));
  const t1 = Math.max(...all.map((p) => p.ts)) + bucketMs;
  const max = niceMax(Math.max(...all.map((p) => p.value)));
  const iw = W - PAD.l - PAD.r;
  const ih = height - PAD.t - PAD.b;
  const x = (ts: number): number => PAD.l + ((ts - t0) / Math.max(1, t1 - t0)) * iw;
  const y = (v: number): number => PAD.t + ih - (v / max) * ih;
  const bw = Math.max(1, (bucketMs / Math.max(1, t1 - t0)) * iw / series.length - 1);
  const bars = series
    .map((s, si) => s.points.map((p) => `<rect x="${(x(p.ts) + si * bw).toFixed(1)}" y="${y(p.value).toFixed(1)}" width="${bw.toFixed(1)}" height="${(PAD.t + ih - y(p.value)).toFixed(1)}" fill="${s.color}"><title>${esc(`${s.name} ${fmtTs(p.ts)}: ${p.value}`)}</title></rect>`).join(''))
    .join('');
  const ticks = [0, 0.5, 1].map((f) => `<text x="${PAD.l - 4}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#57606a">${esc(Math.round(max * f))}</text><line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" stroke="#eaeef2"/>`).join('');
  const xt = [0, 0.5, 1].map((f, i) => `<text x="${(PAD.l + f * iw).toFixed(1)}" y="${height - 8}" font-size="11" fill="#57606a" text-anchor="${['start', 'middle', 'end'][i] ?? 'middle'}">${esc(fmtTs(t0 + f * (t1 - t0)))}</text>`).join('');
  const legend = series.map((s, i) => `<rect x="${PAD.l + 8 + i * 150}" y="${PAD.t}" width="10" height="10" fill="${s.color}"/><text x="${PAD.l + 22 + i * 150}" y="${PAD.t + 9}" font-size="11">${esc(s.name)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" role="img">${ticks}${bars}${xt}${legend}</svg>`;
}

/** Horizontal bars with a text label per row (labels escaped: they may be account ids). */
export function barsSvg(rows: readonly { label: string; value: number; note?: string; color?: string }[], color = '#0969da', format: (v: number) => string = (v) => String(v)): string {
  if (rows.length === 0) return '<p class="meta">no data</p>';
  const rowH = 20;
  const lw = 260;
  const h = rows.length * rowH + 8;
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const bars = rows
    .map((r, i) => {
      const yy = 4 + i * rowH;
      const w = ((W - lw - 120) * r.value) / max;
      const label = r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label;
      return `<text x="${lw - 6}" y="${yy + 13}" text-anchor="end" font-size="12">${esc(label)}</text><rect x="${lw}" y="${yy + 2}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 6}" fill="${r.color ?? color}"/><text x="${(lw + w + 6).toFixed(1)}" y="${yy + 13}" font-size="11" fill="#57606a">${esc(format(r.value))}${r.note ? ` ${esc(r.note)}` : ''}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" role="img">${bars}</svg>`;
}

/** Signal value against its baseline: two bars per signal, baseline in grey. */
export function signalsSvg(signals: readonly { name: string; value: number; baseline: number | null }[]): string {
  const rows = signals.flatMap((s) => [
    { label: s.name, value: s.value },
    ...(s.baseline === null ? [] : [{ label: 'baseline', value: s.baseline, color: '#8c959f' }]),
  ]);
  return barsSvg(rows, '#cf222e', (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)));
}
