#!/usr/bin/env node
// Regenerates docs/EVALUATION.md from out/eval/aggregate.json (written by `npm run eval`).
// Every number in the document comes from that file; nothing is typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    in: { type: 'string', default: join(root, 'out', 'eval', 'aggregate.json') },
    out: { type: 'string', default: join(root, 'docs', 'EVALUATION.md') },
    // The built code whose AggregateReport schema validates the input (the matrix passes its snapshot).
    dist: { type: 'string', default: join(root, 'dist') },
  },
});

const { AggregateReport } = await import(pathToFileURL(join(resolve(opts.dist), 'eval', 'index.js')).href);
let agg;
try {
  agg = AggregateReport.parse(JSON.parse(readFileSync(opts.in, 'utf8')));
} catch (err) {
  console.error(`gen-eval-doc: cannot use ${opts.in}: ${err.message}\nRun \`npm run build && npm run eval\` first.`);
  process.exit(2);
}

/** Markdown-safe cell text: identifiers come from input files. */
const cell = (s) => String(s).replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
/** Inline code inside a table cell: backticks cannot be escaped there, pipes must be. */
const code = (s) => `\`${String(s).replace(/`/g, "'").replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')}\``;
const isRatio = (key) => !/benign_in_attack_campaigns|total_exchanges/.test(key);
function val(x, key) {
  if (x === null || x === undefined) return '–';
  return isRatio(key) ? (Math.abs(x) <= 1 ? `${(x * 100).toFixed(1)}%` : x.toFixed(3)) : x.toFixed(1);
}
// ARI, homogeneity etc. are scores, not shares: print them as plain numbers.
const SCORES = new Set(['clustering.homogeneity', 'clustering.completeness', 'clustering.v_measure', 'clustering.adjusted_rand']);
function stat(s) {
  if (!s || s.n === 0) return '–';
  const f = (x) => (x === null ? '–' : SCORES.has(s.key) ? x.toFixed(3) : val(x, s.key));
  const spread = s.std === null ? '' : ` ± ${f(s.std)}`;
  return `${f(s.mean)}${spread} [${f(s.min)}, ${f(s.max)}]`;
}
function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
function metricTable(keys, label = (k) => k) {
  const rows = keys.map((k) => [code(label(k)), ...agg.levels.map((l) => stat(l.metrics.find((m) => m.key === k)))]);
  return table(['metric', ...agg.levels.map((l) => `evasion ${l.evasion}`)], rows);
}

const MAIN = [
  ['all.benign_fpr', 'benign false-positive rate, all units'],
  ['all.attack_recall', 'attack recall, all units'],
  ['all.precision', 'precision, all units'],
  ['all.baseline_recall', 'volume-threshold baseline recall at the same FPR'],
  ['all.baseline_fpr', 'volume-threshold baseline FPR achieved'],
  ['all.recall_minus_baseline', 'recall gain over the baseline (percentage points)'],
  ['all.baseline_fpr_at_scan_recall', 'FPR the volume baseline needs to match the scan\'s recall'],
  ['account.benign_fpr', 'benign FPR, account units'],
  ['account.attack_recall', 'attack recall, account units'],
  ['account.baseline_recall', 'baseline recall, account units'],
  ['end_user.benign_fpr', 'benign FPR, end-user units'],
  ['end_user.attack_recall', 'attack recall, end-user units'],
  ['clustering.homogeneity', 'homogeneity'],
  ['clustering.completeness', 'completeness'],
  ['clustering.v_measure', 'V-measure'],
  ['clustering.adjusted_rand', 'adjusted Rand index'],
  ['clustering.min_largest_cluster_share', 'worst campaign: share of flagged in its largest predicted campaign'],
  ['clustering.mean_largest_cluster_share', 'mean of that share over campaigns'],
  ['clustering.benign_in_attack_campaigns', 'benign units pulled into attack campaigns (count)'],
  ['latency.campaigns_detected_share', 'campaigns acted on'],
  ['latency.median_share_before_first_action', 'median share of a campaign served before first action'],
  ['latency.max_share_before_first_action', 'worst campaign: share served before first action'],
  ['latency.total_exchanges_before_first_action', 'exchanges served to campaigns before first action (sum)'],
];
// A metric no run recorded (e.g. added after these runs were made) is left out rather than shown empty.
const recorded = (k) => agg.levels.some((l) => l.metrics.some((m) => m.key === k && m.n > 0));
const mainRows = MAIN.filter(([k]) => recorded(k)).map(([k, desc]) => [`${cell(desc)} <br>${code(k)}`, ...agg.levels.map((l) => stat(l.metrics.find((m) => m.key === k)))]);
const PERSONA_ORDER = ['persona.fpr.', 'persona.recall.', 'persona.baseline_recall.'];
const personaRank = (k) => PERSONA_ORDER.findIndex((p) => k.startsWith(p));
const personaKeys = [...new Set(agg.levels.flatMap((l) => l.metrics.map((m) => m.key)).filter((k) => personaRank(k) >= 0))].sort(
  (a, b) => personaRank(a) - personaRank(b) || a.localeCompare(b),
);
const runRows = agg.runs.map((r) => [
  r.seed,
  r.evasion,
  r.events,
  r.sim_s === null ? '–' : r.sim_s.toFixed(0),
  r.scan_s === null ? '–' : r.scan_s.toFixed(0),
  r.eval_s.toFixed(0),
  val(r.metrics['all.benign_fpr'], 'x'),
  val(r.metrics['all.attack_recall'], 'x'),
  val(r.metrics['all.baseline_recall'], 'x'),
  typeof r.metrics['clustering.adjusted_rand'] === 'number' ? r.metrics['clustering.adjusted_rand'].toFixed(3) : '–',
  val(r.metrics['latency.median_share_before_first_action'], 'x'),
]);

// With --reuse-scan the scans may come from older code than the evaluation: say which.
const scanCommits = [...new Set(agg.runs.map((r) => (r.scan_commit === undefined ? agg.commit : r.scan_commit ?? 'unknown')))];
const scanNote =
  scanCommits.length === 1 && scanCommits[0] === agg.commit ? '' : `; the scans it scores were made at commit ${scanCommits.map((c) => `\`${cell(c)}\``).join(', ')}`;

const doc = `<!-- Generated by scripts/gen-eval-doc.mjs from ${cell(relative(root, opts.in))}. Do not edit by hand: run \`npm run eval\`. -->
# Evaluation

How well stillwatch finds distillation campaigns in simulated traffic whose ground truth is known,
and how much better it does than the rule a provider would start with: a per-account volume limit.

## How to run it

\`\`\`sh
npm run build
npm run eval          # 3 seeds × 3 evasion levels, ≥ 2 million events in total; regenerates this file
npm run eval:quick    # a small run of the same matrix into out/eval-quick/ (does not touch this file)
\`\`\`

\`npm run eval\` runs, for every seed and evasion level, \`stillwatch sim\` → \`stillwatch scan\` → \`stillwatch eval\`
into \`out/eval/seed-S-evasion-E/\`, then writes \`out/eval/aggregate.json\` and regenerates this document from it.
Options (also as environment variables): \`--seeds 101,202,303\` (\`EVAL_SEEDS\`), \`--evasion 0,0.5,1\`
(\`EVAL_EVASION\`), \`--events 2100000\` (\`EVAL_EVENTS\`, the target total over all runs; two small pilot simulations
find the sim scale that reaches it), \`--scale X\` (\`EVAL_SCALE\`, skip the pilot), \`--days D\` (\`EVAL_DAYS\`),
\`--reuse\` (keep existing simulations), \`--reuse-scan\` (keep existing scans too: re-evaluate only),
\`--prune-events\`, \`--no-doc\`. The matrix runs a copy of \`dist/\` taken when it starts (\`OUT/.build\`), so a rebuild
during the run cannot mix code versions. Use seeds that were never used to tune the detectors or the
policy; the defaults are reserved for evaluation.

One scan can be scored on its own:

\`\`\`sh
node bin/stillwatch.js eval --labels SIM_DIR/labels.ndjson --results SCAN_DIR [--events SIM_DIR/events.ndjson] [--json report.json]
\`\`\`

It prints a fixed-width table and, with \`--json\`, writes the full report (schema: \`EvalReport\` in
\`src/eval/report-schema.ts\`, \`schema_version\` 1). Every input line is validated; a bad label or result line
stops the evaluation with its \`file:line\`; malformed event lines are counted and sampled in the report.

## What is measured

**Units.** Ground truth has one label line per account, and for reseller/app accounts one more per end user.
An *account unit* is the verdict on the account as a whole (its \`accounts.ndjson\` line without \`end_user\`);
an *end-user unit* is the verdict on one end user (the line with that \`end_user\`). They are scored separately
(\`account\`, \`end_user\`) and together (\`all\`). A benign reseller flagged as a whole is a false positive at the
account level even when one of its end users attacks; that end user counts as caught only through its own
end-user result (the report also counts end users whose whole account was flagged, as collateral). A labelled unit
that sent no event at all (a signup with no traffic; known from the event stream) cannot be judged and is left out
and counted; one that sent traffic but has no scan result counts as not flagged and is listed.

- **Flag rate per persona**: flagged units / units, per (persona, unit level). For benign personas this is their
  false-positive rate, for attack personas their recall.
- **Benign false-positive rate (FPR)**: flagged benign units / benign units. **Attack recall**: flagged attack
  units / attack units. **Precision**: flagged attack / all flagged. "Flagged" is the scan's \`flagged\` field:
  the policy would act on it or send it to review.
- **Per campaign recall**: flagged units of a true campaign / its units.
- **Clustering** over all attack units (both levels): the predicted group is the scan's \`campaign\` field, and a
  unit with none is its own singleton. *Homogeneity* (each predicted group holds one true campaign),
  *completeness* (each true campaign sits in one predicted group), their harmonic mean the *V-measure*
  (Rosenberg & Hirschberg 2007), and the *adjusted Rand index* (Hubert & Arabie 1985; 0 = chance, 1 = identical).
  Missed attack units are singletons, so misses lower completeness. Also, per true campaign, the *share of its
  flagged units that sit in its single largest predicted campaign* (the correlation target is ≥ 90%), and the
  number of *benign units pulled into a predicted campaign that contains attack units*.
- **Detection latency**: a campaign's first action is the earliest \`first_flagged_ts\` of its units. Streaming the
  simulator's events, eval counts the exchanges the campaign sent before that instant (absolute, and as a share of
  all it sent), and the time from its first exchange to that action. A campaign never acted on has served 100%.
  Without the event file it falls back to the sum of each unit's own \`exchanges_before_flag\` (an upper bound) and says so.
- **Volume baseline**: flag a unit when its exchanges over the window reach a threshold. The threshold is the
  lowest one that flags no more benign units than the scan did (equal volumes are flagged together, so ties can
  push it to a lower FPR than the scan's, never a higher one). Its recall is the number to beat. Per-persona and
  per-campaign baseline figures use the threshold of the \`all\` scope. Read the other way round, the report also
  gives the FPR the volume rule would need to catch as many attack units as the scan did (highest threshold that does).

Across seeds each cell below reads **mean ± sample standard deviation [min, max]**; percentages are shares of units,
exchanges or campaigns as defined above.

## Current numbers

- Command: \`${cell(agg.command)}\`
- Generated: ${cell(agg.generated_at)} from commit \`${cell(agg.commit)}\`${scanNote}
- Runs: ${agg.runs.length} (seeds ${cell([...new Set(agg.runs.map((r) => r.seed))].join(', '))}; evasion levels ${cell(agg.levels.map((l) => l.evasion).join(', '))}); ${agg.total_events.toLocaleString('en-US')} events in total

${table(['metric', ...agg.levels.map((l) => `evasion ${l.evasion}`)], mainRows)}

### Per persona

\`persona.fpr.X\` is the false-positive rate of benign persona X, \`persona.recall.X\` the recall of attack persona X,
\`persona.baseline_recall.X\` the volume baseline's recall on it.

${metricTable(personaKeys)}

### Runs

${table(['seed', 'evasion', 'events', 'sim s', 'scan s', 'eval s', 'FPR', 'recall', 'baseline recall', 'ARI', 'median share before action'], runRows)}
`;

writeFileSync(opts.out, doc);
console.log(`wrote ${relative(root, opts.out)} from ${relative(root, opts.in)}`);
