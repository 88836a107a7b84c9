import type { AccountResult, AccountSketch } from '../domain/index.js';
import { createCorrelationStage, type CorrelationStage } from '../correlate/index.js';
import { correlationPass, partitionOf, type Flag, type SketchMatcher } from '../pipeline/index.js';
import type { EventLog } from '../store/nats/index.js';
import { decode, encode, UpMsg, type FlagsMsg, type WorkerCounts } from './messages.js';

export interface CorrelatorOptions {
  partitions: number;
  matcher?: SketchMatcher;
  /** Called once all partitions have sent their results for a finish tick. */
  onResults: (r: ClusterResults) => Promise<void>;
}

export interface ClusterResults {
  tick: { n: number; now: number };
  results: AccountResult[];
  latest: Map<string, AccountSketch>;
  correlation: CorrelationStage;
  counts: WorkerCounts;
}

interface Gather<T> {
  parts: Map<number, { total: number; got: Map<number, T[]> }>;
  counts: Map<number, WorkerCounts>;
}

/**
 * The correlator role: gathers every partition's dirty sketches for a tick, runs exactly the
 * embedded scan's correlation pass, and sends each partition its flags. Its state is rebuilt
 * by replaying the sketches stream from the start; ticks already passed are recognised by
 * their ordinal, and the flags it re-sends carry the same message ids (the broker drops them,
 * and workers skip ticks they have applied).
 */
export async function runCorrelator(log: EventLog, opts: CorrelatorOptions): Promise<void> {
  const correlation = createCorrelationStage();
  const latest = new Map<string, AccountSketch>();
  const pub = log.publisher(64);
  const sketches = new Map<number, Gather<AccountSketch> & { now: number }>();
  const results = new Map<number, Gather<AccountResult> & { now: number }>();
  let lastTick = -1;
  let lastFinish = -1;
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
    if (m.k === 'sketches') {
      if (m.tick.n <= lastTick) continue;
      const g = collect(sketches, m.tick.n, m.tick.now, m.p, m.part, m.parts, m.sketches);
      if (!complete(g)) continue;
      sketches.delete(m.tick.n);
      lastTick = m.tick.n;
      const flags = correlationPass(flat(g), m.tick.now, correlation, latest, opts.matcher);
      const per: Flag[][] = Array.from({ length: opts.partitions }, () => []);
      for (const f of flags) per[partitionOf(f.account, opts.partitions)]!.push(f);
      for (let p = 0; p < opts.partitions; p++) {
        const fm: FlagsMsg = { tick: m.tick, flags: per[p]! };
        await pub.publish(log.subject('flags', p), encode(fm), `f:${p}:${m.tick.n}:${m.tick.now}`);
      }
      await pub.flush();
    } else {
      if (m.tick.n <= lastFinish) continue;
      const g = collect(results, m.tick.n, m.tick.now, m.p, m.part, m.parts, m.results);
      g.counts.set(m.p, m.counts);
      if (!complete(g)) continue;
      results.delete(m.tick.n);
      lastFinish = m.tick.n;
      const counts: WorkerCounts = { accepted: 0, duplicates: 0, events: 0, dead_lettered: 0 };
      for (const c of g.counts.values())
        for (const k of Object.keys(counts) as (keyof WorkerCounts)[]) counts[k] += c[k];
      await opts.onResults({ tick: m.tick, results: flat(g), latest, correlation, counts });
    }
  }
}
