import {
  emptyCounts,
  expandInputs,
  openByteStream,
  splitLines,
  validateCandidate,
  type IngestCounts,
} from '../ingest/index.js';
import { PassClock, partitionOf, rawStringField, rawTs } from '../pipeline/index.js';
import type { EventLog } from '../store/nats/index.js';
import { contentId, encode, MAX_MSG_BYTES, type EventsMsg } from './messages.js';

const BATCH_LINES = 256;

export interface IngestOptions {
  inputs: string[];
  partitions: number;
  /** Event time between two correlation passes (must match the embedded scan's to compare). */
  everyMs: number;
}

/**
 * The ingest role: reads NDJSON files, routes each event line to `<ns>.events.<partition>` by
 * a hash of its account (read from the raw text, as the worker-thread scan does), broadcasts
 * signup and release records, and inserts event-time ticks into every partition at each
 * correlation boundary. Message ids derive from content, so re-running ingest over the same
 * input inside the broker's duplicate window stores nothing twice.
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
  const tick = async (now: number, k: 'tick' | 'finish'): Promise<void> => {
    const t = { n: ticks++, now };
    await broadcast({ k, tick: t }, `${k}:${now}:${t.n}`);
  };

  for (const f of expandInputs(opts.inputs).files) {
    counts.files++;
    file = f;
    for await (const items of splitLines(await openByteStream(f), (n) => (counts.bytes_read += n))) {
      for (const item of items) {
        counts.lines_read++;
        if (item.kind === 'bad') {
          counts.records_read++;
          counts.dead_lettered++;
          continue;
        }
        const text = item.text;
        if (text.trim() === '') {
          counts.blank_lines++;
          continue;
        }
        counts.records_read++;
        counts.by_format['ndjson'] = (counts.by_format['ndjson'] ?? 0) + 1;
        const special =
          item.lastWithoutNewline ||
          text.includes('"type":"account"') ||
          text.includes('"type":"model_release"');
        let account = special ? null : rawStringField(text, 'account');
        let ts = account === null ? null : rawTs(text);
        if (account === null || ts === null) {
          // Not certain from the raw text: parse here (signup/release records are broadcast).
          let v;
          try {
            v = validateCandidate(JSON.parse(text) as unknown);
          } catch {
            counts.dead_lettered++;
            continue;
          }
          if (!v.ok) {
            counts.dead_lettered++;
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
  await tick(clock.finalPass(), 'tick');
  await tick(clock.lastTs ?? 0, 'finish');
  await pub.flush();
  return { ...counts, ticks };
}
