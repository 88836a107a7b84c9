import type { AccountResult, AccountSketch } from '../domain/index.js';
import { createCorrelationStage, type CorrelationStage } from '../correlate/index.js';
import type { DeadLetter } from '../ingest/index.js';
import type { DirtyDrain } from '../detectors/index.js';
import { CorrelationDriver, partitionOf, type Flag, type SketchMatcher } from '../pipeline/index.js';
import type { EventLog } from '../store/nats/index.js';
import { decode, encode, UpMsg, type FlagsMsg, type IngestSummary, type WorkerCounts } from './messages.js';

export interface CorrelatorOptions {
  partitions: number;
  matcher?: SketchMatcher;
  /**
   * Called once all partitions have sent their results for a tick: periodic ones (`final`
   * false) and those of a finish marker. Writes run one at a time in arrival order; a periodic
   * one is not awaited before the next tick is correlated (so the database is off the tick
   * path), but the next write waits for it. Read what you need from `correlation` before
   * your first await: the correlator moves on.
   */
  onResults: (r: ClusterResults) => Promise<void>;
  /** Dead letters from ingest (`source` null) or a worker's partition; in the same write order. */
  onDeadLetters?: (dead: DeadLetter[], source: number | null) => Promise<void>;
}

export interface ClusterResults {
  tick: { n: number; now: number };
  /** Every account at a finish marker; the accounts changed since the last emission otherwise. */
  results: AccountResult[];
  final: boolean;
  latest: Map<string, AccountSketch>;
  correlation: CorrelationStage;
  counts: WorkerCounts;
  /** What ingest counted for this finish (null for periodic results, or if it never said). */
  ingest: IngestSummary | null;
}

/** A changed account as a worker sends it: a fresh sketch, or [account, exchanges] when its last sketch stands. */
type SketchItem = AccountSketch | [string, number];

function drainOf(items: readonly SketchItem[]): DirtyDrain {
  const d: DirtyDrain = { sketches: [], accounts: [], exchanges: [] };
  for (const it of items) {
    if (Array.isArray(it)) {
      d.accounts.push(it[0]);
      d.exchanges.push(it[1]);
    } else d.sketches.push(it);
  }
  return d;
}

interface Gather<T> {
  parts: Map<number, { total: number; got: Map<number, T[]> }>;
  counts: Map<number, WorkerCounts>;
}

/**
 * The correlator role: gathers every partition's changed accounts for a tick and runs exactly
 * the embedded scan's correlation pass. Campaign and intel flags stay here (as in the embedded
 * scan) and are merged into the results it writes; workers never wait for a pass, they are
 * only told which of their accounts were flagged (for their periodic results). Its state is rebuilt
 * by replaying the sketches stream from the start; ticks already passed are recognised by
 * their ordinal, and the flags it re-sends carry the same message ids (the broker drops them,
 * and workers skip ticks they have applied). Writes are idempotent upserts, so a replay
 * rewrites the same rows.
 */
export async function runCorrelator(log: EventLog, opts: CorrelatorOptions): Promise<void> {
  const correlation = createCorrelationStage();
  const driver = new CorrelationDriver(correlation, opts.matcher);
  const latest = driver.latest;
  const pub = log.publisher(64);
  const sketches = new Map<number, Gather<SketchItem> & { now: number }>();
  const results = new Map<number, Gather<AccountResult> & { now: number }>();
  const periodic = new Map<number, Gather<AccountResult> & { now: number }>();
  const ingest = new Map<number, IngestSummary>();
  let lastTick = -1;
  let lastFinish = -1;
  let lastPeriodic = -1;
  // One write at a time, in arrival order; its failure surfaces at the next write or at the end.
  let writing: Promise<void> = Promise.resolve();
  const write = async (w: () => Promise<void>): Promise<void> => {
    await writing;
    writing = w();
    writing.catch(() => undefined);
  };
  const complete = <T>(g: Gather<T>): boolean => {
    if (g.parts.size < opts.partitions) return false;
    for (const { total, got } of g.parts.values()) if (got.size < total) return false;
    return true;
  };
  const collect = <T>(
    map: Map<number, Gather<T> & { now: number }>,
    n: number,
    now: number,
    p: number,
    part: number,
    parts: number,
    items: T[],
  ): Gather<T> & { now: number } => {
    let g = map.get(n);
    if (!g) map.set(n, (g = { now, parts: new Map(), counts: new Map() }));
    let e = g.parts.get(p);
    if (!e) g.parts.set(p, (e = { total: parts, got: new Map() }));
    if (!e.got.has(part)) e.got.set(part, items);
    return g;
  };
  const flat = <T>(g: Gather<T>): T[] =>
    [...g.parts.values()].flatMap((e) =>
      [...e.got.keys()].sort((a, b) => a - b).flatMap((k) => e.got.get(k)!),
    );

  for await (const msg of await log.replay('up', '>')) {
    const m = decode(UpMsg, msg.data);
    switch (m.k) {
      case 'sketches': {
        if (m.tick.n <= lastTick) continue;
        const g = collect(sketches, m.tick.n, m.tick.now, m.p, m.part, m.parts, m.sketches);
        if (!complete(g)) continue;
        sketches.delete(m.tick.n);
        lastTick = m.tick.n;
        const flags = driver.pass([drainOf(flat(g))], m.tick.now);
        const per: Flag[][] = Array.from({ length: opts.partitions }, () => []);
        for (const f of flags) per[partitionOf(f.account, opts.partitions)]!.push(f);
        // Workers do not wait for these (the flags are merged into results here); they only
        // tell a worker which accounts to re-send with its next periodic results.
        for (let p = 0; p < opts.partitions; p++) {
          const fm: FlagsMsg = { tick: m.tick, flags: per[p]! };
          await pub.publish(log.subject('flags', p), encode(fm), `f:${p}:${m.tick.n}:${m.tick.now}`);
        }
        break;
      }
      case 'results': {
        const final = m.final;
        if (m.tick.n <= (final ? lastFinish : lastPeriodic)) continue;
        const map = final ? results : periodic;
        const g = collect(map, m.tick.n, m.tick.now, m.p, m.part, m.parts, m.results);
        g.counts.set(m.p, m.counts);
        if (!complete(g)) continue;
        map.delete(m.tick.n);
        if (final) lastFinish = m.tick.n;
        else lastPeriodic = m.tick.n;
        const counts: WorkerCounts = { accepted: 0, duplicates: 0, events: 0, dead_lettered: 0 };
        for (const c of g.counts.values())
          for (const k of Object.keys(counts) as (keyof WorkerCounts)[]) counts[k] += c[k];
        const r: ClusterResults = {
          tick: m.tick,
          results: flat(g).map((x) => driver.result(x)),
          final,
          latest,
          correlation,
          counts,
          ingest: final ? (ingest.get(m.tick.n) ?? null) : null,
        };
        await write(() => opts.onResults(r));
        if (final) {
          await pub.flush();
          await writing;
        }
        break;
      }
      case 'dead': {
        const { dead, p } = m;
        if (opts.onDeadLetters) await write(() => opts.onDeadLetters!(dead, p));
        break;
      }
      case 'ingest':
        ingest.set(m.finish.n, m.counts);
        break;
    }
  }
  await writing;
  await pub.flush();
}
