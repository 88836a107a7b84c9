import type { EvalReport, ScopeMetrics } from './report-schema.js';

type Cell = string | number | null;

/** Renders rows as a fixed-width table; numbers right-aligned, text left-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((r) => r.map((c) => (c === null ? '–' : String(c))));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => r[i] === null || typeof r[i] === 'number' || /^[\d.,%+/-]+$|^–$/.test(String(r[i]))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

/** A ratio as a percentage with one decimal; null stays a dash. */
export function pct(x: number | null): string | null {
  return x === null ? null : `${(x * 100).toFixed(1)}%`;
}

function num(x: number | null, digits = 3): string | null {
  return x === null ? null : x.toFixed(digits);
}

/** Identifiers come from input files: strip control characters before they reach a terminal. */
export function safe(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : ch;
  }
  return out;
}

function scopeRow(s: ScopeMetrics): Cell[] {
  return [s.level, s.units, s.seen, s.benign, s.flagged_benign, pct(s.benign_fpr), s.attack, s.flagged_attack, pct(s.attack_recall), pct(s.precision), s.baseline.threshold, pct(s.baseline.benign_fpr), pct(s.baseline.attack_recall), pct(s.baseline.benign_fpr_at_scan_recall)];
}

/** The human-readable evaluation report printed by `stillwatch eval`. */
export function formatReport(r: EvalReport): string {
  const out: string[] = [];
  out.push(`labels ${safe(r.inputs.labels)} · results ${safe(r.inputs.results)} · events ${r.inputs.events === null ? '(none)' : safe(r.inputs.events)}`);
  out.push('', 'Detection by unit (account = whole account; end_user = one end user behind a reseller/app; all = both)');
  out.push(
    renderTable(
      ['unit', 'units', 'seen', 'benign', 'FP', 'FPR', 'attack', 'TP', 'recall', 'precision', 'vol.thr', 'base FPR', 'base recall', 'base FPR at scan recall'],
      [r.scopes.all, r.scopes.account, r.scopes.end_user].map(scopeRow),
    ),
  );
  out.push('', 'Per persona (flag rate = FPR for benign rows, recall for attack rows; baseline at the "all" threshold)');
  out.push(
    renderTable(
      ['persona', 'unit', 'label', 'units', 'seen', 'flagged', 'flag rate', 'baseline'],
      r.personas.map((p) => [safe(p.persona), p.level, p.label, p.units, p.seen, p.flagged, pct(p.flag_rate), pct(p.baseline_flag_rate)]),
    ),
  );
  out.push('', 'Per true campaign (latency: exchanges served before the campaign\'s first action)');
  out.push(
    renderTable(
      ['campaign', 'units', 'flagged', 'recall', 'base recall', 'pred.clusters', 'largest share', 'volume', 'before 1st action', 'share', 'minutes to act'],
      r.campaigns.map((c) => [
        safe(c.campaign),
        c.units,
        c.flagged,
        pct(c.recall),
        pct(c.baseline_recall),
        c.predicted_clusters,
        pct(c.largest_cluster_share),
        c.volume,
        c.exchanges_before_first_action,
        pct(c.share_before_first_action),
        c.time_to_first_action_ms === null ? null : num(c.time_to_first_action_ms / 60_000, 1),
      ]),
    ),
  );
  const k = r.clustering;
  out.push('', `Campaign clustering over ${k.items} attack units (${k.true_clusters} true, ${k.predicted_clusters} predicted groups; unflagged = singletons)`);
  out.push(
    renderTable(
      ['homogeneity', 'completeness', 'V-measure', 'ARI', 'min largest share', 'mean largest share', 'campaigns ≥90%', 'benign in attack campaigns'],
      [[num(k.homogeneity), num(k.completeness), num(k.v_measure), num(k.adjusted_rand), pct(k.min_largest_cluster_share), pct(k.mean_largest_cluster_share), `${k.campaigns_at_or_above_90}/${k.campaigns_with_flags}`, k.benign_in_attack_campaigns]],
    ),
  );
  const l = r.latency;
  out.push('', `Latency (${l.method === 'events' ? `exact, from ${l.events_read} events` : 'approximate: per-unit exchanges_before_flag'}): ${l.campaigns_detected}/${l.campaigns} campaigns acted on; share before first action mean ${pct(l.mean_share_before_first_action) ?? '–'}, median ${pct(l.median_share_before_first_action) ?? '–'}, max ${pct(l.max_share_before_first_action) ?? '–'}`);
  const sp = r.spillover;
  if (sp.benign_end_users_under_flagged_account + sp.attack_end_users_under_flagged_account > 0) {
    out.push(`End users under an account flagged as a whole: ${sp.benign_end_users_under_flagged_account} benign, ${sp.attack_end_users_under_flagged_account} attack (${sp.attack_end_users_caught_only_via_account} of them not flagged in their own right)`);
  }
  if (r.counts.silent_units > 0) out.push(`Labelled but sent no events (not scored): ${r.counts.silent_units}`);
  if (r.counts.unseen_units > 0) out.push(`Never seen by the scan: ${r.counts.unseen_units} (e.g. ${r.counts.unseen_sample.slice(0, 5).map(safe).join(', ')})`);
  if (r.counts.unlabelled_results > 0) out.push(`Results without a label: ${r.counts.unlabelled_results} (e.g. ${r.counts.unlabelled_sample.slice(0, 5).map(safe).join(', ')})`);
  for (const s of l.rejected_sample.slice(0, 5)) out.push(`rejected event line: ${safe(s)}`);
  for (const w of r.warnings) out.push(`warning: ${safe(w)}`);
  return out.join('\n');
}
