// Throughput of `stillwatch scan` against the fastest parse-only pass over the same file,
// measured in the same run (so machine noise affects both). Last line: RESULT {json}.
//   npm run bench:scan                       (default: sim --scale 1 --days 7)
//   BENCH_SCALE=2 BENCH_DAYS=7 npm run bench:scan
//   BENCH_WORKERS=default,1,2 (scan modes measured; the first is the headline `ratio`)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseOnlyChunkText, parseOnlyLineBytes } from './parse-only.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = join(root, 'out', 'bench-scan');
const scale = process.env.BENCH_SCALE ?? '1';
const days = process.env.BENCH_DAYS ?? '7';
const seed = process.env.BENCH_SEED ?? '11';
const events = join(work, `sim-${seed}-${scale}-${days}`, 'events.ndjson');
const cli = join(root, 'bin', 'stillwatch.js');

mkdirSync(work, { recursive: true });
if (!existsSync(events)) {
  console.log(`generating traffic: sim --seed ${seed} --scale ${scale} --days ${days}`);
  execFileSync(
    process.execPath,
    [
      cli,
      'sim',
      '--seed',
      seed,
      '--scale',
      scale,
      '--days',
      days,
      '--out',
      join(work, `sim-${seed}-${scale}-${days}`),
    ],
    { stdio: 'inherit' },
  );
}
const bytes = statSync(events).size;

/** Both parse-only passes; the faster is the baseline of this round. */
function parseOnly(path) {
  const chunk = parseOnlyChunkText(path);
  const line = parseOnlyLineBytes(path);
  if (chunk.lines !== line.lines)
    throw new Error(`parse-only passes disagree: ${chunk.lines} vs ${line.lines} lines`);
  return {
    lines: line.lines,
    seconds: Math.min(chunk.seconds, line.seconds),
    chunkSeconds: chunk.seconds,
    lineSeconds: line.seconds,
  };
}

function scanOnce(workers) {
  const out = join(work, 'scan-out');
  rmSync(out, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const extra = workers === 'default' ? [] : ['--workers', String(workers)];
  execFileSync(process.execPath, [cli, 'scan', events, '--out', out, '--quiet', ...extra], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CI: 'true' },
  });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// `default` is what `stillwatch scan` does without --workers; the others force a partition count.
const modes = (process.env.BENCH_WORKERS ?? 'default,1,2')
  .split(',')
  .map((m) => (m === 'default' ? m : Number(m)));
const parse = [];
const scans = new Map(modes.map((m) => [m, []]));
let lines = 0;
for (let i = 0; i < rounds; i++) {
  const p = parseOnly(events);
  lines = p.lines;
  parse.push(p.seconds);
  const parts = [
    `round ${i + 1}: parse-only ${(lines / p.seconds).toFixed(0)} lines/s (chunk-decoded ${(lines / p.chunkSeconds).toFixed(0)}, line-decoded ${(lines / p.lineSeconds).toFixed(0)})`,
  ];
  for (const m of modes) {
    const s = scanOnce(m);
    scans.get(m).push(s);
    parts.push(`scan (workers ${m}) ${(lines / s).toFixed(0)} lines/s`);
  }
  console.log(`${parts.join(', ')}  [load ${loadavg()[0].toFixed(1)}]`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parseRate = lines / median(parse);
console.log(
  `file: ${events} (${(bytes / 1048576).toFixed(1)} MiB, ${lines} lines, ${(bytes / lines).toFixed(0)} B/line); wall time from process start to outputs written`,
);
const byMode = {};
for (const m of modes) {
  const rate = lines / median(scans.get(m));
  byMode[m] = { scan_lines_per_s: Math.round(rate), ratio: Number((rate / parseRate).toFixed(3)) };
  console.log(
    `parse-only: ${parseRate.toFixed(0)} lines/s  |  scan (workers ${m}): ${rate.toFixed(0)} lines/s  |  ratio ${(rate / parseRate).toFixed(2)} (target ≥ 0.5)`,
  );
}
const main = byMode[modes[0]];
console.log(
  `RESULT ${JSON.stringify({ bench: 'scan', lines, bytes, parse_only_lines_per_s: Math.round(parseRate), scan_lines_per_s: main.scan_lines_per_s, ratio: main.ratio, by_workers: byMode, target_ratio: 0.5, rounds, load: Number(loadavg()[0].toFixed(2)) })}`,
);
