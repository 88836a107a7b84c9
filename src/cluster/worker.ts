import type { AccountRecord, ModelRelease } from '../domain/index.js';
import { createAccountStage, type AccountStage, type Calibration } from '../detectors/index.js';
import { DedupWindow, validateCandidate } from '../ingest/index.js';
import { partitionOf } from '../pipeline/index.js';
import type { EventLog } from '../store/nats/index.js';
import { chunk, decode, encode, EventsMsg, FlagsMsg, type UpMsg, type WorkerCounts } from './messages.js';

export interface WorkerOptions {
  /** Partitions this process owns. */
  owned: number[];
  partitions: number;
  calibration?: Calibration | undefined;
  dedupWindowMs?: number | undefined;
  signal?: AbortSignal;
  /** Called after each message of the events subject is applied (tests, bench). */
  onProgress?: (p: number, seq: number, counts: WorkerCounts) => void;
}

/**
 * The worker role. State is rebuilt, not checkpointed: on start, each owned partition's
 * subject is replayed from its first message with a fresh per-account stage. Event order per
 * partition is fixed by the stream, the stage is deterministic and event ids are deduplicated,
 * so after a crash (SIGKILL included) the rebuilt state equals the lost one and no event is
 * lost or counted twice; sketches and results it re-sends carry the same message ids.
 */
export async function runWorker(log: EventLog, opts: WorkerOptions): Promise<void> {
  await Promise.all(opts.owned.map((p) => runPartition(log, p, opts)));
}

async function runPartition(log: EventLog, p: number, opts: WorkerOptions): Promise<void> {
  const stage: AccountStage = createAccountStage(opts.calibration ? { calibration: opts.calibration } : {});
  const dedup = new DedupWindow(opts.dedupWindowMs);
  const counts: WorkerCounts = { accepted: 0, duplicates: 0, events: 0, dead_lettered: 0 };
  const pub = log.publisher(64);
  const flagsIter = (await log.replay('flags', p))[Symbol.asyncIterator]();
  let lastFlagTick = -1;
  let applied = 0;
  const events = await log.replay('events', p);
  const up = (m: UpMsg, id: string): Promise<void> => pub.publish(log.subject('up', p), encode(m), id);

  for await (const msg of events) {
    if (opts.signal?.aborted) break;
    const m = decode(EventsMsg, msg.data);
    switch (m.k) {
      case 'lines':
        applyLines(stage, dedup, counts, m.lines);
        break;
      case 'account':
        stage.onAccount(m.record as unknown as AccountRecord);
        break;
      case 'release':
        stage.onRelease(m.record as unknown as ModelRelease);
        break;
      case 'tick': {
        const parts = chunk(stage.drainDirtySketches());
        for (const [i, sketches] of parts.entries())
          await up(
            { k: 'sketches', p, tick: m.tick, part: i, parts: parts.length, sketches },
            `s:${p}:${m.tick.n}:${m.tick.now}:${i}`,
          );
        await pub.flush();
        // Wait for this tick's flags; earlier ones (re-sent by a restarted correlator) are skipped.
        for (;;) {
          const next = await flagsIter.next();
          if (next.done) return;
          const f = decode(FlagsMsg, next.value.data);
          if (f.tick.n <= lastFlagTick) continue;
          if (f.tick.n !== m.tick.n)
            throw new Error(`partition ${p}: flags for tick ${f.tick.n} while at tick ${m.tick.n}`);
          lastFlagTick = f.tick.n;
          for (const fl of f.flags) stage.flagExternally(fl.account, m.tick.now, fl.finding);
          break;
        }
        break;
      }
      case 'finish': {
        const results = [...stage.results()].filter((r) => partitionOf(r.account, opts.partitions) === p);
        const parts = chunk(results);
        for (const [i, rs] of parts.entries())
          await up(
            {
              k: 'results',
              p,
              tick: m.tick,
              part: i,
              parts: parts.length,
              results: rs,
              counts: { ...counts },
            },
            `r:${p}:${m.tick.n}:${i}`,
          );
        await pub.flush();
        break;
      }
    }
    if (++applied % 50 === 0 || m.k === 'finish') opts.onProgress?.(p, msg.seq, counts);
  }
}

/** Same handling as a partition worker thread: parse, validate, deduplicate by event id, apply. */
function applyLines(s: AccountStage, dedup: DedupWindow, c: WorkerCounts, lines: string[]): void {
  for (const text of lines) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      c.dead_lettered++;
      continue;
    }
    const v = validateCandidate(value);
    if (!v.ok) {
      c.dead_lettered++;
      continue;
    }
    const r = v.record;
    if (r.kind !== 'event') {
      c.accepted++;
      if (r.kind === 'account') s.onAccount(r.account);
      else s.onRelease(r.release);
      continue;
    }
    if (dedup.seen(r.event.id, r.event.ts)) {
      c.duplicates++;
      continue;
    }
    c.accepted++;
    c.events++;
    s.onEvent(r.event);
  }
}
