/**
 * Throughput and consumer lag of the scale-out mode against the local NATS JetStream and
 * PostgreSQL, with 1, 2 and 4 worker processes, next to the embedded scan of the same file
 * measured in the same run (so figures are ratios and machine noise hits both).
 *
 * End to end = ingest starts publishing → the correlator has committed the final results to
 * PostgreSQL. Lag = messages pending per JetStream consumer (the workers' ordered consumers on
 * the events stream, the correlator's on the up stream), sampled every BENCH_SAMPLE_MS through
 * the management API. Each run uses its own NATS namespace and PostgreSQL schema, removed after.
 * Last line: RESULT {json}.
 *   npm run bench:cluster                        (default: sim --seed 11 --scale 0.5 --days 2)
 *   BENCH_SCALE=1 BENCH_WORKERS=1,2 npm run bench:cluster
 *   BENCH_COMPARE_CLI=/path/to/other/bin/stillwatch.js npm run bench:cluster   (A/B: another build's
 *     roles run before each of this build's, under the same load)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { deleteEventLog, openEventLog, type EventLog } from '../src/store/nats/index.js';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'stillwatch.js');
const work = join(root, 'out', 'bench-cluster');
const env = process.env;
const SEED = env['BENCH_SEED'] ?? '11';
const SCALE = env['BENCH_SCALE'] ?? '0.5';
const DAYS = env['BENCH_DAYS'] ?? '2';
const WORKERS = (env['BENCH_WORKERS'] ?? '1,2,4').split(',').map(Number);
const PARTITIONS = Number(env['BENCH_PARTITIONS'] ?? 4);
const EVERY_MIN = Number(env['BENCH_CORRELATE_EVERY_MIN'] ?? 5);
const SAMPLE_MS = Number(env['BENCH_SAMPLE_MS'] ?? 250);
const NATS = env['STILLWATCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const PG = env['STILLWATCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = randomBytes(3).toString('hex');
const COMPARE_CLI = env['BENCH_COMPARE_CLI'];
/** Node flags for the role processes only, e.g. BENCH_ROLE_NODE_ARGS="--cpu-prof --cpu-prof-dir=out/prof". */
const ROLE_NODE_ARGS = (env['BENCH_ROLE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function simulate(): string {
  const dir = join(work, `sim-${SEED}-${SCALE}-${DAYS}`);
  const file = join(dir, 'events.ndjson');
  if (!existsSync(file)) {
    console.log(`generating traffic: sim --seed ${SEED} --scale ${SCALE} --days ${DAYS}`);
    execFileSync(
      process.execPath,
      [cli, 'sim', '--seed', SEED, '--scale', SCALE, '--days', DAYS, '--out', dir],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return file;
}

interface Embedded {
  seconds: number;
  events: number;
  accounts: string;
}

/** The baseline: `stillwatch scan` of the same file, in process, same correlation interval. */
function embeddedScan(file: string): Embedded {
  const out = join(work, 'embedded');
  rmSync(out, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  execFileSync(
    process.execPath,
    [cli, 'scan', file, '--out', out, '--quiet', '--correlate-every', String(EVERY_MIN)],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, CI: 'true' } },
  );
  const s = seconds(t0);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
    counts: { by_kind: { event: number } };
  };
  return {
    seconds: s,
    events: summary.counts.by_kind.event,
    accounts: readFileSync(join(out, 'accounts.ndjson'), 'utf8'),
  };
}

interface LagStats {
  samples: number;
  /** Over samples: the largest pending count of any one worker consumer, and of the sum over them. */
  worker_max: number;
  worker_p95: number;
  worker_total_max: number;
  worker_total_p95: number;
  correlator_max: number;
  correlator_p95: number;
}

const pct = (xs: number[], q: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Samples `num_pending` of every consumer of the namespace's streams until stopped. */
function sampleLag(log: EventLog): { stop: () => Promise<LagStats> } {
  const perWorker: number[] = [];
  const totals: number[] = [];
  const correlator: number[] = [];
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const events = await log.jsm.consumers.list(log.stream('events')).next();
        const up = await log.jsm.consumers.list(log.stream('up')).next();
        let total = 0;
        for (const c of events) {
          perWorker.push(c.num_pending);
          total += c.num_pending;
        }
        totals.push(total);
        for (const c of up) {
          const filter = c.config.filter_subject ?? c.config.filter_subjects?.join(',') ?? '';
          if (filter.includes('.up.')) correlator.push(c.num_pending);
        }
        samples++;
      } catch {
        // A consumer can vanish between list and info (ordered consumers reset); skip the sample.
      }
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return {
        samples,
        worker_max: Math.max(0, ...perWorker),
        worker_p95: pct(perWorker, 0.95),
        worker_total_max: Math.max(0, ...totals),
        worker_total_p95: pct(totals, 0.95),
        correlator_max: Math.max(0, ...correlator),
        correlator_p95: pct(correlator, 0.95),
      };
    },
  };
}

interface ClusterRun {
  workers: number;
  seconds: number;
  ingest_seconds: number;
  events: number;
  events_per_s: number;
  identical: boolean;
  lag: LagStats;
  load_after: string;
}

function roleEnv(ns: string, schema: string): NodeJS.ProcessEnv {
  return {
    ...env,
    CI: 'true',
    STILLWATCH_NATS_URL: NATS,
    STILLWATCH_NATS_NS: ns,
    STILLWATCH_POSTGRES_URL: PG,
    STILLWATCH_POSTGRES_SCHEMA: schema,
    STILLWATCH_PARTITIONS: String(PARTITIONS),
    STILLWATCH_CORRELATE_EVERY_MS: String(EVERY_MIN * 60_000),
  };
}

/** Resolves with the first stdout JSON line that `pred` accepts; rejects if the process exits first. */
function lineOf<T>(child: ChildProcess, pred: (o: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      try {
        const o = JSON.parse(line) as T;
        if (pred(o)) resolve(o);
      } catch {
        // not ours
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`${child.spawnargs.slice(2, 4).join(' ')} exited (${code})`)),
    );
  });
}

const accountsSql = (schema: string): string =>
  `SELECT doc FROM "${schema}".accounts ORDER BY account COLLATE "C", end_user COLLATE "C"`;

async function runCluster(
  file: string,
  workers: number,
  embedded: Embedded,
  roleCli = cli,
  tag = '',
): Promise<ClusterRun> {
  const ns = `swbench${runId}w${workers}${tag}`;
  const schema = `sw_bench_${runId}_w${workers}${tag}`;
  const e = roleEnv(ns, schema);
  const children: ChildProcess[] = [];
  const spawnRole = (role: string, extra: NodeJS.ProcessEnv = {}, args: string[] = []): ChildProcess => {
    const c = spawn(process.execPath, [...ROLE_NODE_ARGS, roleCli, 'cluster', role, ...args], {
      env: { ...e, ...extra },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(c);
    return c;
  };
  const log = await openEventLog({ servers: NATS, ns });
  const db = new pg.Client({ connectionString: PG });
  await db.connect();
  try {
    const correlator = spawnRole('correlator');
    const final = lineOf<{ results?: number; final?: boolean }>(
      correlator,
      (o) => o.results !== undefined && o.final !== false,
    );
    // Handled here so a role that dies early fails the await below, not the process (cleanup runs).
    final.catch(() => undefined);
    for (let w = 0; w < workers; w++) {
      const owned = Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => p % workers === w);
      spawnRole('worker', { STILLWATCH_OWNED: owned.join(',') });
    }
    // Roles are up when their consumers exist (2 per partition: events and flags; 1 correlator).
    for (;;) {
      const n =
        (await log.jsm.consumers.list(log.stream('events')).next()).length +
        (await log.jsm.consumers.list(log.stream('up')).next()).length;
      if (n >= 2 * PARTITIONS + 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const lag = sampleLag(log);
    const t0 = process.hrtime.bigint();
    const ingest = spawnRole('ingest', {}, [file]);
    const ingestDone = lineOf<{ ingest?: unknown }>(ingest, (o) => o.ingest !== undefined).then(() =>
      seconds(t0),
    );
    ingestDone.catch(() => undefined);
    await final;
    const total = seconds(t0);
    const ingestSeconds = await ingestDone;
    const stats = await lag.stop();
    const rows = (await db.query<{ doc: string }>(accountsSql(schema))).rows;
    const got = rows.map((r) => `${r.doc}\n`).join('');
    return {
      workers,
      seconds: total,
      ingest_seconds: ingestSeconds,
      events: embedded.events,
      events_per_s: embedded.events / total,
      identical: got === sortedNdjson(embedded.accounts),
      lag: stats,
      load_after: load(),
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? Promise.resolve()
          : new Promise((r) => c.once('exit', r)),
      ),
    );
    await deleteEventLog(log);
    await log.close();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  }
}

/** The embedded file's rows in the byte order PostgreSQL returns them with COLLATE "C". */
function sortedNdjson(ndjson: string): string {
  const key = (l: string): string => {
    const o = JSON.parse(l) as { account: string; end_user?: string };
    return `${o.account}\u0000${o.end_user ?? ''}`;
  };
  const lines = ndjson.split('\n').filter(Boolean);
  const enc = (s: string): Buffer => Buffer.from(key(s), 'utf8');
  lines.sort((a, b) => Buffer.compare(enc(a), enc(b)));
  return lines.map((l) => `${l}\n`).join('');
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const file = simulate();
  const loadBefore = load();
  console.log(`load before: ${loadBefore} (1/5/15 min)`);
  const embedded = embeddedScan(file);
  const embeddedRate = embedded.events / embedded.seconds;
  console.log(
    `embedded scan: ${embedded.events} events in ${embedded.seconds.toFixed(2)} s = ${embeddedRate.toFixed(0)} events/s (process start to outputs written)`,
  );
  const runs: ClusterRun[] = [];
  const compared: ClusterRun[] = [];
  for (const w of WORKERS) {
    if (COMPARE_CLI) {
      const c = await runCluster(file, w, embedded, COMPARE_CLI, 'cmp');
      compared.push(c);
      console.log(
        `  compare build (${COMPARE_CLI}), ${w} worker process(es): ${c.seconds.toFixed(2)} s = ${c.events_per_s.toFixed(0)} events/s (${(c.events_per_s / embeddedRate).toFixed(2)}× embedded); identical: ${c.identical}; load ${c.load_after}`,
      );
    }
    const r = await runCluster(file, w, embedded);
    runs.push(r);
    console.log(
      `cluster ${w} worker process(es), ${PARTITIONS} partitions: ${r.seconds.toFixed(2)} s end to end = ${r.events_per_s.toFixed(0)} events/s ` +
        `(${(r.events_per_s / embeddedRate).toFixed(2)}× embedded), ingest published in ${r.ingest_seconds.toFixed(2)} s; ` +
        `lag per worker consumer max ${r.lag.worker_max} p95 ${r.lag.worker_p95}, all workers max ${r.lag.worker_total_max} p95 ${r.lag.worker_total_p95}, ` +
        `correlator max ${r.lag.correlator_max} p95 ${r.lag.correlator_p95} (${r.lag.samples} samples); identical to embedded: ${r.identical}; load ${r.load_after}`,
    );
  }
  console.log(`uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  console.log(
    `RESULT ${JSON.stringify({
      bench: 'cluster',
      file: file.slice(root.length),
      events: embedded.events,
      partitions: PARTITIONS,
      correlate_every_min: EVERY_MIN,
      embedded_events_per_s: Math.round(embeddedRate),
      runs: runs.map((r) => ({
        workers: r.workers,
        seconds: Number(r.seconds.toFixed(2)),
        events_per_s: Math.round(r.events_per_s),
        ratio_to_embedded: Number((r.events_per_s / embeddedRate).toFixed(3)),
        ingest_seconds: Number(r.ingest_seconds.toFixed(2)),
        identical: r.identical,
        lag: r.lag,
      })),
      ...(COMPARE_CLI
        ? {
            compare: compared.map((r) => ({
              workers: r.workers,
              seconds: Number(r.seconds.toFixed(2)),
              events_per_s: Math.round(r.events_per_s),
              identical: r.identical,
            })),
          }
        : {}),
      load_before: loadBefore,
      load_after: load(),
    })}`,
  );
}

await main();
