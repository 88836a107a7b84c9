#!/usr/bin/env node
// `npm run eval`: sim → scan → eval for every (seed, evasion level), then mean and spread per
// metric across seeds, written to out/eval/aggregate.json and rendered into docs/EVALUATION.md.
// Runs the built CLI as child processes, one at a time (the machine has two cores).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: node scripts/eval-matrix.mjs [options]
  --seeds LIST       comma-separated sim seeds (env EVAL_SEEDS; default 101,202,303)
  --evasion LIST     comma-separated evasion levels in [0,1] (env EVAL_EVASION; default 0,0.5,1)
  --events N         target total events over all runs (env EVAL_EVENTS; default 2100000); the sim
                     scale that reaches it is measured with a small pilot simulation
  --scale X          sim --scale for every run instead of the pilot (env EVAL_SCALE)
  --days D           sim --days for every run (env EVAL_DAYS; default: the simulator's)
  --out DIR          output root (default out/eval)
  --reuse            keep an existing sim output for a run instead of regenerating it
  --reuse-scan       also keep an existing scan output (re-evaluate only; implies --reuse)
  --prune-events     delete each run's events.ndjson after it has been evaluated
  --no-doc           do not regenerate docs/EVALUATION.md
  --sim-arg ARG      extra argument passed to every \`stillwatch sim\` (repeatable)
  --scan-arg ARG     extra argument passed to every \`stillwatch scan\` (repeatable)`;

const { values: opts } = parseArgs({
  options: {
    seeds: { type: 'string', default: process.env.EVAL_SEEDS ?? '101,202,303' },
    evasion: { type: 'string', default: process.env.EVAL_EVASION ?? '0,0.5,1' },
    events: { type: 'string', default: process.env.EVAL_EVENTS ?? '2100000' },
    scale: { type: 'string', default: process.env.EVAL_SCALE },
    days: { type: 'string', default: process.env.EVAL_DAYS },
    out: { type: 'string', default: 'out/eval' },
    reuse: { type: 'boolean', default: false },
    'reuse-scan': { type: 'boolean', default: false },
    'prune-events': { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    'sim-arg': { type: 'string', multiple: true, default: [] },
    'scan-arg': { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

function fail(msg) {
  console.error(`eval-matrix: ${msg}`);
  process.exit(2);
}

function numberList(text, what, check) {
  const xs = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || !check(x))) fail(`bad ${what}: "${text}"\n${USAGE}`);
  return xs;
}

const seeds = numberList(opts.seeds, 'seed list', (x) => Number.isInteger(x) && x >= 0);
const levels = numberList(opts.evasion, 'evasion list', (x) => x >= 0 && x <= 1);
const [totalEvents] = numberList(opts.events, 'event total', (x) => Number.isInteger(x) && x > 0);
const perRun = Math.ceil(totalEvents / (seeds.length * levels.length));
const outRoot = resolve(root, opts.out);
const daysArgs = opts.days === undefined ? [] : ['--days', String(numberList(opts.days, 'days', (x) => x > 0)[0])];

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm run build` first');

/**
 * Copies the built CLI and the files it ships (policy, calibration) under OUT/.build and runs
 * that copy, so a rebuild of dist/ while the matrix runs cannot change the code between runs.
 * Packages still resolve from the repository's node_modules by walking up from OUT.
 */
function snapshotCli() {
  const dest = join(outRoot, '.build');
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(root, 'dist'), join(dest, 'dist'), { recursive: true });
  for (const shipped of ['calibration', 'policies']) {
    if (existsSync(join(root, shipped))) cpSync(join(root, shipped), join(dest, shipped), { recursive: true });
  }
  mkdirSync(join(dest, 'bin'), { recursive: true });
  writeFileSync(join(dest, 'bin', 'stillwatch.js'), "#!/usr/bin/env node\nimport '../dist/cli/main.js';\n");
  return dest;
}
const build = snapshotCli();
const cli = join(build, 'bin', 'stillwatch.js');
const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
for (const cmd of ['sim', 'scan', 'eval']) {
  if (!new RegExp(`^\\s+${cmd}\\b`, 'm').test(help.stdout ?? '')) {
    fail(`the built CLI has no working \`${cmd}\` command (node bin/stillwatch.js --help):\n${(help.stderr ?? '').slice(-2000)}`);
  }
}
const { headlineMetrics, aggregateRuns, AggregateReport, EvalReport } = await import(pathToFileURL(join(build, 'dist', 'eval', 'index.js')).href);

/** Runs one CLI step, streaming its stderr, and returns its wall time in seconds. */
function step(label, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    if (r.stdout) process.stderr.write(r.stdout.slice(-4000));
    fail(`${label} failed (exit ${r.status ?? r.signal}): node bin/stillwatch.js ${args.join(' ')}`);
  }
  return s;
}

function log(msg) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function simArgs(seed, evasion, scale, dir) {
  return ['sim', '--seed', String(seed), '--evasion', String(evasion), '--scale', String(scale), ...daysArgs, '--out', dir, ...opts['sim-arg']];
}

/** Events (not account or release records) in a sim output, read line by line. */
async function countEvents(file) {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const t = JSON.parse(line).type;
    if (t === undefined || t === 'event') n += 1;
  }
  return n;
}

/**
 * The sim scale that yields about `perRun` events. Event count is affine in scale (a fixed
 * population of organisations plus a part that grows with it), so two small pilot runs fix
 * the line; 8% headroom covers seed-to-seed spread so the total stays above the target.
 */
async function pilotScale() {
  const points = [];
  for (const pilot of [0.05, 0.2]) {
    const pilotDir = join(outRoot, 'pilot');
    rmSync(pilotDir, { recursive: true, force: true });
    log(`pilot: sim --scale ${pilot} to size the runs`);
    step('sim (pilot)', simArgs(seeds[0], levels[0], pilot, pilotDir));
    points.push([pilot, await countEvents(join(pilotDir, 'events.ndjson'))]);
    rmSync(pilotDir, { recursive: true, force: true });
  }
  const [[s0, e0], [s1, e1]] = points;
  const slope = (e1 - e0) / (s1 - s0);
  if (!(slope > 0)) fail(`pilot runs do not grow with scale (${e0} events at ${s0}, ${e1} at ${s1}); pass --scale`);
  const scale = Number(Math.max(s0, s0 + (perRun * 1.08 - e0) / slope).toPrecision(3));
  log(`pilot: ${e0} events at scale ${s0}, ${e1} at ${s1} → scale ${scale} for ~${perRun} events per run`);
  return scale;
}

/** When reusing simulations, the scale they were made at (from the simulator's own summary). */
function reusedScale() {
  if (!opts.reuse && !opts['reuse-scan']) return undefined;
  const summary = join(outRoot, `seed-${seeds[0]}-evasion-${levels[0]}`, 'sim', 'sim-summary.json');
  if (!existsSync(summary)) return undefined;
  const s = JSON.parse(readFileSync(summary, 'utf8')).scale;
  return typeof s === 'number' && s > 0 ? s : undefined;
}

const scale = opts.scale !== undefined ? numberList(opts.scale, 'scale', (x) => x > 0)[0] : (reusedScale() ?? (await pilotScale()));
function git(args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}
const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
const commit = `${git(['rev-parse', '--short=12', 'HEAD']) || 'unknown'}${dirty ? ' (with uncommitted changes)' : ''}`;

const runs = [];
const total = seeds.length * levels.length;
log(`${total} runs (${seeds.length} seeds × ${levels.length} evasion levels) at sim scale ${scale}${daysArgs.length ? ` over ${daysArgs[1]} days` : ''}, into ${opts.out}`);
for (const evasion of levels) {
  for (const seed of seeds) {
    const dir = join(outRoot, `seed-${seed}-evasion-${evasion}`);
    const simDir = join(dir, 'sim');
    const scanDir = join(dir, 'scan');
    const evalJson = join(dir, 'eval.json');
    const n = runs.length + 1;
    mkdirSync(dir, { recursive: true });
    // Step timings survive in the run folder so reused steps still report what they cost.
    const timingsPath = join(dir, 'timings.json');
    const prev = existsSync(timingsPath) ? JSON.parse(readFileSync(timingsPath, 'utf8')) : {};
    let simS;
    if ((opts.reuse || opts['reuse-scan']) && existsSync(join(simDir, 'labels.ndjson')) && existsSync(join(simDir, 'events.ndjson'))) {
      log(`run ${n}/${total} seed ${seed} evasion ${evasion}: reusing ${simDir}`);
      simS = prev.sim_s ?? null;
    } else {
      log(`run ${n}/${total} seed ${seed} evasion ${evasion}: sim`);
      rmSync(simDir, { recursive: true, force: true });
      simS = step('sim', simArgs(seed, evasion, scale, simDir));
    }
    let scanS;
    let scanCommit = commit;
    if (opts['reuse-scan'] && existsSync(join(scanDir, 'accounts.ndjson')) && existsSync(join(scanDir, 'campaigns.json'))) {
      log(`run ${n}/${total}: reusing ${scanDir}`);
      scanS = prev.scan_s ?? null;
      scanCommit = prev.commit ?? null;
    } else {
      log(`run ${n}/${total}: scan`);
      rmSync(scanDir, { recursive: true, force: true });
      scanS = step('scan', ['scan', join(simDir, 'events.ndjson'), '--out', scanDir, ...opts['scan-arg']]);
    }
    writeFileSync(timingsPath, `${JSON.stringify({ sim_s: simS, scan_s: scanS, commit: scanCommit })}\n`);
    log(`run ${n}/${total}: eval (sim ${secs(simS)}, scan ${secs(scanS)})`);
    const evalS = step('eval', ['eval', '--labels', join(simDir, 'labels.ndjson'), '--results', scanDir, '--events', join(simDir, 'events.ndjson'), '--json', evalJson, '--quiet']);
    const report = EvalReport.parse(JSON.parse(readFileSync(evalJson, 'utf8')));
    const m = headlineMetrics(report);
    runs.push({ seed, evasion, dir: join(opts.out, `seed-${seed}-evasion-${evasion}`), events: report.latency.events_read, sim_s: simS, scan_s: scanS, eval_s: evalS, scan_commit: scanCommit, metrics: m });
    log(
      `run ${n}/${total}: ${report.latency.events_read} events; FPR ${fmt(m['all.benign_fpr'])}, recall ${fmt(m['all.attack_recall'])} ` +
        `(baseline ${fmt(m['all.baseline_recall'])}), ARI ${fmt(m['clustering.adjusted_rand'])} (eval ${evalS.toFixed(1)} s)`,
    );
    if (opts['prune-events']) rmSync(join(simDir, 'events.ndjson'), { force: true });
  }
}

function secs(x) {
  return x === null ? 'time unknown' : `${x.toFixed(1)} s`;
}

function fmt(x, digits = 3) {
  return x === null || x === undefined ? '–' : x.toFixed(digits);
}

const aggregate = AggregateReport.parse({
  schema_version: 1,
  generated_at: new Date().toISOString(),
  commit,
  command: `npm run eval -- --seeds ${seeds.join(',')} --evasion ${levels.join(',')} --scale ${scale}${daysArgs.length ? ` --days ${daysArgs[1]}` : ''}${
    opts['reuse-scan'] ? ' --reuse-scan' : opts.reuse ? ' --reuse' : ''
  }`,
  total_events: runs.reduce((s, r) => s + r.events, 0),
  runs,
  levels: aggregateRuns(runs),
});
const aggPath = join(outRoot, 'aggregate.json');
writeFileSync(aggPath, `${JSON.stringify(aggregate, null, 2)}\n`);

const HEADLINE = [
  'all.benign_fpr',
  'all.attack_recall',
  'all.baseline_recall',
  'account.benign_fpr',
  'account.attack_recall',
  'end_user.benign_fpr',
  'end_user.attack_recall',
  'clustering.adjusted_rand',
  'clustering.v_measure',
  'clustering.min_largest_cluster_share',
  'clustering.benign_in_attack_campaigns',
  'latency.median_share_before_first_action',
  'latency.max_share_before_first_action',
];
for (const level of aggregate.levels) {
  console.log(`\nevasion ${level.evasion} — seeds ${level.seeds.join(', ')}, ${level.events} events`);
  const rows = level.metrics.filter((s) => HEADLINE.includes(s.key) || s.key.startsWith('persona.'));
  const w = Math.max(...rows.map((s) => s.key.length));
  console.log(`${'metric'.padEnd(w)}  ${'mean ± std'.padStart(17)}  ${'min'.padStart(7)}  ${'max'.padStart(7)}  n`);
  for (const s of rows) {
    const ms = `${fmt(s.mean)} ± ${fmt(s.std)}`;
    console.log(`${s.key.padEnd(w)}  ${ms.padStart(17)}  ${fmt(s.min).padStart(7)}  ${fmt(s.max).padStart(7)}  ${s.n}`);
  }
}
log(`${aggregate.total_events} events in total; wrote ${aggPath}`);
if (aggregate.total_events < 2_000_000) log(`note: fewer than 2,000,000 events in total (this is a reduced run)`);

if (!opts['no-doc']) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'gen-eval-doc.mjs'), '--in', aggPath, '--dist', join(build, 'dist')], { stdio: 'inherit' });
  if (r.status !== 0) fail('docs/EVALUATION.md generation failed');
}
