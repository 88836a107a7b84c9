// Where the CPU of `stillwatch scan` goes, by thread, against the CPU of the parse-only pass
// over the same file (the `bench:scan` baseline), measured in the same run. Linux only: it
// reads /proc/<pid>/task/*/stat. Last line: RESULT {json}.
//   npm run bench:scan-cpu                   (the bench:scan file: sim --scale 1 --days 7)
//   BENCH_SCALE=0.5 BENCH_WORKERS=1 npm run bench:scan-cpu
//
// Threads: the main thread; V8's platform threads (the first threads Node starts after the main
// one: a delayed-task scheduler, then a pool of 4 by default), which do optimizing compilation
// (TurboFan) and concurrent or parallel garbage collection for every isolate of the process; and
// the threads started later: the partition workers (each its own isolate) and libuv's I/O pool. A second run with
// `--single-threaded-gc` keeps all GC on the isolates' own threads, so what the platform
// threads still spend is compilation, and the difference is their share of GC.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseOnlyLineBytes } from './parse-only.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = join(root, 'out', 'bench-scan');
const scale = process.env.BENCH_SCALE ?? '1';
const days = process.env.BENCH_DAYS ?? '7';
const seed = process.env.BENCH_SEED ?? '11';
const workers = process.env.BENCH_WORKERS ?? 'default';
const events = join(work, `sim-${seed}-${scale}-${days}`, 'events.ndjson');
const cli = join(root, 'bin', 'stillwatch.js');
if (!existsSync(events)) {
  console.error(
    `no traffic at ${events}: run npm run bench:scan with the same BENCH_SCALE/BENCH_DAYS/BENCH_SEED first`,
  );
  process.exit(2);
}
if (!existsSync('/proc/self/task')) {
  console.error('bench:scan-cpu reads per-thread CPU from /proc (Linux only)');
  process.exit(2);
}
const TICK = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux
/** Node's platform threads: its delayed-task scheduler and the default pool of 4 (`--v8-pool-size`). */
const PLATFORM_THREADS = 1 + 4;

/** CPU seconds of every thread of `pid` now, by thread id (threads that ended keep their last reading). */
function readThreads(pid, into) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
      const cpu = (Number(f[11]) + Number(f[12])) / TICK;
      into.set(tid, cpu);
    } catch {
      // the thread ended between the listing and the read
    }
  }
}

/** Runs one scan, sampling its threads every 50 ms; returns its wall time and CPU per thread class. */
function scan(nodeFlags) {
  const out = join(work, 'scan-cpu-out');
  rmSync(out, { recursive: true, force: true });
  const extra = workers === 'default' ? [] : ['--workers', workers];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [...nodeFlags, cli, 'scan', events, '--out', out, '--quiet', ...extra],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, CI: 'true' },
      },
    );
    const threads = new Map();
    const poll = setInterval(() => readThreads(child.pid, threads), 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`scan exited with ${code}`));
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const pid = String(child.pid);
      // Thread ids grow in creation order: the platform threads are the first after the main one.
      const order = [...threads.keys()].filter((t) => t !== pid).sort((a, b) => Number(a) - Number(b));
      const platformIds = new Set(order.slice(0, PLATFORM_THREADS));
      const main = threads.get(pid) ?? 0;
      let platform = 0;
      const later = [];
      for (const [tid, cpu] of threads) {
        if (tid === pid) continue;
        if (platformIds.has(tid)) platform += cpu;
        else later.push(cpu);
      }
      later.sort((a, b) => b - a);
      resolve({ wall, main, platform, later });
    });
  });
}

// The line-decoded pass (bench:scan's baseline on this traffic): one thread, so its CPU is its wall time.
const base = parseOnlyLineBytes(events);
const plain = await scan([]);
const gcOnOwnThreads = await scan(['--single-threaded-gc']);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const total = plain.main + plain.platform + sum(plain.later);
const busyLater = plain.later.filter((c) => c >= 0.5);
const jit = gcOnOwnThreads.platform;
const f = (s) => s.toFixed(2);
console.log(
  `file: ${events} (${base.lines} lines); scan workers: ${workers}; load ${loadavg()[0].toFixed(1)}`,
);
console.log(`parse-only: ${f(base.cpu)} s CPU (${(base.lines / base.cpu).toFixed(0)} lines per CPU-second)`);
console.log(
  `scan: ${f(plain.wall)} s wall, ${f(total)} s CPU = ${(total / base.cpu).toFixed(1)}x the parse-only CPU`,
);
console.log(`  main thread                            ${f(plain.main)} s`);
console.log(
  `  threads the scan started (workers)     ${busyLater.map(f).join(' + ') || '0'} s  (+ ${f(sum(plain.later) - sum(busyLater))} s in I/O threads)`,
);
console.log(
  `  V8 platform threads                    ${f(plain.platform)} s: about ${f(jit)} s compiling, ${f(Math.max(0, plain.platform - jit))} s of GC`,
);
console.log(`  (with --single-threaded-gc: ${f(gcOnOwnThreads.wall)} s wall, platform threads ${f(jit)} s)`);
console.log(
  `0.5x the parse-only rate on 2 cores leaves at most ${f(4 * base.cpu)} s of CPU (4x the parse-only CPU, perfect overlap)`,
);
console.log(
  `RESULT ${JSON.stringify({
    bench: 'scan-cpu',
    lines: base.lines,
    workers,
    parse_only_cpu_s: Number(f(base.cpu)),
    scan_wall_s: Number(f(plain.wall)),
    scan_cpu_s: Number(f(total)),
    cpu_ratio_to_parse: Number((total / base.cpu).toFixed(2)),
    main_cpu_s: Number(f(plain.main)),
    worker_cpu_s: busyLater.map((c) => Number(f(c))),
    platform_cpu_s: Number(f(plain.platform)),
    platform_compile_cpu_s: Number(f(jit)),
    budget_cpu_s_for_half_rate: Number(f(4 * base.cpu)),
    load: Number(loadavg()[0].toFixed(2)),
  })}`,
);
