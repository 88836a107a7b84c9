import type { AccountRecord, ModelRelease } from '../domain/index.js';
import { createAccountStage, type AccountStage, type Calibration } from '../detectors/index.js';
import { DedupWindow, type DeadLetter } from '../ingest/index.js';
import { applyRoutedLine, partitionOf } from '../pipeline/index.js';
import type { EventLog } from '../store/nats/index.js';
import { decode, encode, encodeParts, EventsMsg, FlagsMsg, type WorkerCounts } from './messages.js';

export interface WorkerOptions {
  /** Partitions this process owns. */
  owned: number[];
  partitions: number;
  calibration?: Calibration | undefined;
  dedupWindowMs?: number | undefined;
  /**
   * Send the results of accounts changed since the last emission (by their events, or flagged
   * by the correlator) every this many ticks, so an endless stream has current results; 0:
   * only at `finish`.
   */
  resultsEveryTicks?: number;
  signal?: AbortSignal;
  /** Called after each message of the events subject is applied (tests, bench). */
  onProgress?: (p: number, seq: number, counts: WorkerCounts) => void;
}

/**
 * The worker role. State is rebuilt, not checkpointed: on start, each owned partition's
 * subject is replayed from its first message with a fresh per-account stage. Event order per
 * partition is fixed by the stream, the stage is deterministic and event ids are deduplicated,
 * so after a crash (SIGKILL included) the rebuilt state equals the lost one and no event is
 * lost or counted twice; sketches, results and dead letters it re-sends carry the same
 * message ids.
 */
export async function runWorker(log: EventLog, opts: WorkerOptions): Promise<void> {
  await Promise.all(opts.owned.map((p) => runPartition(log, p, opts)));
}

async function runPartition(log: EventLog, p: number, opts: WorkerOptions): Promise<void> {
  const stage: AccountStage = createAccountStage(opts.calibration ? { calibration: opts.calibration } : {});
  const dedup = new DedupWindow(opts.dedupWindowMs);
  const counts: WorkerCounts = { accepted: 0, duplicates: 0, events: 0, dead_lettered: 0 };
  const every = opts.resultsEveryTicks ?? 0;
  /** Accounts whose verdict may have moved since the last periodic emission. */
  const changed = new Set<string>();
  const pub = log.publisher(64);
  const events = await log.replay('events', p);
  const subject = log.subject('up', p);
  const sendParts = async (parts: Uint8Array[], id: string): Promise<void> => {
    for (const [i, data] of parts.entries()) await pub.publish(subject, data, `${id}:${i}`);
  };
  // The worker never waits for the correlator: campaign and intel flags are merged into the
  // results by the correlator (ExternalFlags, as in the embedded scan). Flags arrive here only
  // so that periodic results re-send the accounts they touched.
  const flags = await log.replay('flags', p);
  const flagsDone = (async () => {
    for await (const msg of flags) for (const f of decode(FlagsMsg, msg.data).flags) changed.add(f.account);
  })();
  flagsDone.catch(() => undefined);
  let applied = 0;

  for await (const msg of events) {
    if (opts.signal?.aborted) break;
    const m = decode(EventsMsg, msg.data);
    switch (m.k) {
      case 'lines': {
        const dead = applyLines(stage, dedup, counts, m, changed);
        if (dead.length > 0) await pub.publish(subject, encode({ k: 'dead', p, dead }), `d:${p}:${msg.seq}`);
        break;
      }
      case 'account':
        stage.onAccount(m.record as unknown as AccountRecord);
        break;
      case 'release':
        stage.onRelease(m.record as unknown as ModelRelease);
        break;
      case 'tick': {
        const { tick } = m;
        const d = stage.drain(m.complete);
        // Changed accounts without a new sketch travel as [account, exchanges] pairs.
        const items: unknown[] = d.sketches;
        for (let i = 0; i < d.accounts.length; i++) items.push([d.accounts[i], d.exchanges[i]]);
        await sendParts(
          encodeParts({ k: 'sketches', p, tick }, 'sketches', items),
          `s:${p}:${tick.n}:${tick.now}`,
        );
        if (every > 0 && (tick.n + 1) % every === 0) {
          const results = [...stage.currentResults(changed)];
          changed.clear();
          await sendParts(
            encodeParts({ k: 'results', p, tick, counts: { ...counts }, final: false }, 'results', results),
            `pr:${p}:${tick.n}:${tick.now}`,
          );
        }
        break;
      }
      case 'finish': {
        const results = [...stage.results()].filter((r) => partitionOf(r.account, opts.partitions) === p);
        changed.clear();
        await sendParts(
          encodeParts(
            { k: 'results', p, tick: m.tick, counts: { ...counts }, final: true },
            'results',
            results,
          ),
          `r:${p}:${m.tick.n}`,
        );
        await pub.flush();
        break;
      }
    }
    if (++applied % 50 === 0 || m.k === 'finish') opts.onProgress?.(p, msg.seq, counts);
  }
}

/**
 * Same handling as a partition worker thread (`applyRoutedLine`). Lines that fail here passed
 * ingest's routing (their account and time read from the raw text) but are not valid events;
 * they are returned as dead letters with their location.
 */
function applyLines(
  s: AccountStage,
  dedup: DedupWindow,
  c: WorkerCounts,
  m: { file: string; lines: string[]; lineNos: number[] },
  changed: Set<string>,
): DeadLetter[] {
  const dead: DeadLetter[] = [];
  for (let i = 0; i < m.lines.length; i++) {
    const ev = applyRoutedLine(s, dedup, c, m.file, m.lineNos[i]!, m.lines[i]!, dead);
    if (ev !== null) changed.add(ev.account);
  }
  c.dead_lettered += dead.length;
  return dead;
}
