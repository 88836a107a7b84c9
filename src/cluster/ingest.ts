import {
  deadLetterOf,
  deadLetterOfBadLine,
  emptyCounts,
  expandInputs,
  openByteStream,
  splitLines,
  validateCandidate,
  type DeadLetter,
  type IngestCounts,
} from '../ingest/index.js';
import { PassClock, partitionOf, rawRoute } from '../pipeline/index.js';
import type { EventLog } from '../store/nats/index.js';
import {
  contentId,
  encode,
  encodeParts,
  MAX_MSG_BYTES,
  type EventsMsg,
  type IngestSummary,
} from './messages.js';

const BATCH_LINES = 256;
const BATCH_DEAD = 256;

export interface IngestOptions {
  inputs: string[];
  partitions: number;
  /** Event time between two correlation passes (must match the embedded scan's to compare). */
  everyMs: number;
  /**
   * End with a final pass and `finish` markers (default). False leaves the stream open, as a
   * live source would: results then come only from the periodic emission.
   */
  finish?: boolean;
}

/**
 * The ingest role: reads NDJSON files, routes each event line to `<ns>.events.<partition>` by
 * a hash of its account (read from the raw text, as the worker-thread scan does), broadcasts
 * signup and release records, and inserts event-time ticks into every partition at each
 * correlation boundary. Message ids derive from content, so re-running ingest over the same
 * input inside the broker's duplicate window stores nothing twice.
 *
 * Lines it cannot use (unreadable, malformed, invalid) are kept as dead letters with their
 * location and reason, sent to the correlator on `<ns>.up.ingest`, which stores them; before
 * the finish markers it sends its counts there too, so the cluster's summary can check that
 * records_read = accepted + dead_lettered + duplicates.
 */
export async function runIngest(
  log: EventLog,
  opts: IngestOptions,
): Promise<IngestCounts & { ticks: number }> {
  const counts = emptyCounts();
  const pub = log.publisher();
  const clock = new PassClock(opts.everyMs);
  const buffers = Array.from({ length: opts.partitions }, () => ({
    lines: [] as string[],
    lineNos: [] as number[],
    bytes: 0,
  }));
  let ticks = 0;
  let file = '';
  const deadSubject = log.subject('up', 'ingest');
  let dead: DeadLetter[] = [];
  const flushDead = async (): Promise<void> => {
    if (dead.length === 0) return;
    const batch = dead;
    dead = [];
    const parts = encodeParts({ k: 'dead', p: null }, 'dead', batch);
    const id = contentId(
      'd:i',
      batch.map((d) => `${d.file}\u0000${d.line}\u0000${d.path ?? ''}`),
    );
    for (const [i, data] of parts.entries()) await pub.publish(deadSubject, data, `${id}:${i}`);
  };
  const setAside = async (d: DeadLetter): Promise<void> => {
    counts.dead_lettered++;
    dead.push(d);
    if (dead.length >= BATCH_DEAD) await flushDead();
  };
  const send = (p: number, m: EventsMsg, id: string): Promise<void> =>
    pub.publish(log.subject('events', p), encode(m), id);
  const flush = async (p: number): Promise<void> => {
    const b = buffers[p]!;
    if (b.lines.length === 0) return;
    buffers[p] = { lines: [], lineNos: [], bytes: 0 };
    await send(p, { k: 'lines', file, lines: b.lines, lineNos: b.lineNos }, contentId(`l${p}`, b.lines));
  };
  const flushAll = async (): Promise<void> => {
    for (let p = 0; p < opts.partitions; p++) await flush(p);
  };
  const broadcast = async (m: EventsMsg, key: string): Promise<void> => {
    await flushAll();
    for (let p = 0; p < opts.partitions; p++) await send(p, m, `${key}:${p}`);
  };
  const tick = async (now: number, k: 'tick' | 'finish', complete = false): Promise<void> => {
    const t = { n: ticks++, now };
    await broadcast(k === 'tick' ? { k, tick: t, complete } : { k, tick: t }, `${k}:${now}:${t.n}`);
  };

  for (const f of expandInputs(opts.inputs).files) {
    counts.files++;
    file = f;
    for await (const items of splitLines(await openByteStream(f), (n) => (counts.bytes_read += n))) {
      for (const item of items) {
        counts.lines_read++;
        if (item.kind === 'bad') {
          counts.records_read++;
          await setAside(deadLetterOfBadLine(file, item));
          continue;
        }
        const text = item.text;
        if (text.trim() === '') {
          counts.blank_lines++;
          continue;
        }
        counts.records_read++;
        counts.by_format['ndjson'] = (counts.by_format['ndjson'] ?? 0) + 1;
        const routed = item.lastWithoutNewline ? null : rawRoute(text);
        let account = routed?.account ?? null;
        let ts = routed?.ts ?? null;
        if (account === null || ts === null) {
          // Not certain from the raw text: parse here (signup/release records are broadcast).
          let v;
          try {
            v = validateCandidate(JSON.parse(text) as unknown);
          } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            const reason = item.lastWithoutNewline
              ? `truncated last line (no newline at end of file): ${msg}`
              : `malformed JSON: ${msg}`;
            await setAside(deadLetterOf(file, item.line, 'ndjson', { reason }, text));
            continue;
          }
          if (!v.ok) {
            await setAside(deadLetterOf(file, item.line, 'ndjson', v.problem, text));
            continue;
          }
          const r = v.record;
          if (r.kind !== 'event') {
            counts.accepted++;
            counts.by_kind[r.kind]++;
            const m: EventsMsg =
              r.kind === 'account'
                ? { k: 'account', record: { ...r.account } }
                : { k: 'release', record: { ...r.release } };
            await broadcast(m, contentId('r', [text]));
            continue;
          }
          account = r.event.account;
          ts = r.event.ts;
        }
        const due = clock.advance(ts);
        // A pass due before this line must see the state without it.
        if (due !== null) await tick(due, 'tick');
        const p = partitionOf(account, opts.partitions);
        const b = buffers[p]!;
        b.lines.push(text);
        b.lineNos.push(item.line);
        b.bytes += text.length + 8;
        if (b.lines.length >= BATCH_LINES || b.bytes >= MAX_MSG_BYTES) await flush(p);
      }
    }
  }
  await flushDead();
  if (opts.finish !== false) {
    await tick(clock.finalPass(), 'tick', true);
    const summary: IngestSummary = {
      files: counts.files,
      bytes_read: counts.bytes_read,
      lines_read: counts.lines_read,
      blank_lines: counts.blank_lines,
      records_read: counts.records_read,
      accepted: counts.accepted,
      dead_lettered: counts.dead_lettered,
      by_kind: { account: counts.by_kind.account, model_release: counts.by_kind.model_release },
    };
    const finish = { n: ticks, now: clock.lastTs ?? 0 };
    // Stored before the finish markers, so the correlator has it when the results arrive.
    await pub.publish(
      deadSubject,
      encode({ k: 'ingest', finish, counts: summary }),
      `i:${finish.n}:${finish.now}:${counts.records_read}`,
    );
    await pub.flush();
    await tick(finish.now, 'finish');
  }
  await pub.flush();
  return { ...counts, ticks };
}
