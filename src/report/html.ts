const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Escapes text for HTML element content and quoted attribute values. Every string that
 * came from traffic (account ids, prompts, link values, explanations) goes through here.
 * Control characters are shown as U+FFFD so they cannot hide text in a printed report.
 */
export function esc(value: unknown): string {
  return String(value)
    .replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}

export function fmtTs(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '—';
  return new Date(ts).toISOString().replace('T', ' ').slice(0, 16) + 'Z';
}

export function fmtNum(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a}table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #eaeef2;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.prompt{font-family:ui-monospace,Menlo,monospace;white-space:pre-wrap;word-break:break-word;background:#f6f8fa;border:1px solid #eaeef2;padding:4px 6px;margin:2px 0;font-size:12px}
.kpis{display:flex;gap:12px;flex-wrap:wrap}.kpi{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;min-width:120px}.kpi b{display:block;font-size:20px}
svg{max-width:100%;height:auto}figure{margin:8px 0}figcaption{color:#57606a;font-size:12px}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
`;

/** A complete, self-contained document: inline style, no script, no external fetch. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const cls = (i: number): string => (numeric.includes(i) ? ' class="n"' : '');
  const head = headers.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('');
  // Cells are pre-escaped HTML fragments (built with esc by the caller).
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
