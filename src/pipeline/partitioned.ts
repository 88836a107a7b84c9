import { Worker } from 'node:worker_threads';
import type { AccountResult, AccountSketch } from '../domain/index.js';
import {
  deadLetterOf,
  emptyCounts,
  expandInputs,
  openByteStream,
  splitLines,
  validateCandidate,
  type DeadLetter,
  type IngestCounts,
  type LineItem,
} from '../ingest/index.js';
import type { CorrelationStage } from '../correlate/index.js';
import { correlationPass, PassClock, type SketchMatcher } from './correlation-pass.js';
import type { CoreOutcome, CoreSetup } from './core.js';
import { partitionOf, rawStringField, rawTs, type FromWorker, type ToWorker } from './partition-protocol.js';

const FLUSH_LINES = 512;

interface Routed {
  account: string;
  line: number;
  text: string;
  /** The correlation pass due before this line, if its timestamp crosses a boundary. */
  due: number | null;
}
const MAX_IN_FLIGHT = 16;

/**
 * The per-account stage spread over worker threads by account hash (native NDJSON only).
 * The main thread splits lines, routes them by the account read from the raw text, and
 * stops all workers at every event-time tick to correlate, so the outcome equals the
 * in-process path's.
 */
export async function runPartitioned(
  setup: CoreSetup,
  correlation: CorrelationStage,
  matcher: SketchMatcher | undefined,
  partitions: number,
): Promise<CoreOutcome> {
  const run = new PartitionedRun(setup, partitions);
  try {
    return await run.execute(correlation, matcher);
  } finally {
    await run.terminate();
  }
}

class PartitionedRun {
  readonly counts: IngestCounts = emptyCounts();
  readonly clock: PassClock;
  private readonly workers: Worker[] = [];
  private readonly buffers: Array<{ lines: string[]; lineNos: number[] }>;
  private seq = 0;
  private inFlight = 0;
  private events = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  /** Dead letters are written in sequence order, so the file does not depend on thread timing. */
  private readonly deadBySeq = new Map<number, DeadLetter[]>();
  private nextDeadSeq = 0;
  private sketchReplies: AccountSketch[][] = [];
  private resultReplies: AccountResult[][] = [];
  private file = '';

  constructor(
    private readonly setup: CoreSetup,
    private readonly partitions: number,
  ) {
    this.clock = new PassClock(setup.everyMs);
    this.buffers = Array.from({ length: partitions }, () => ({ lines: [], lineNos: [] }));
    const calibration = setup.options.calibration ?? null;
    for (let i = 0; i < partitions; i++) {
      const w = new Worker(new URL('./partition-worker.js', import.meta.url));
      w.on('message', (m: FromWorker) => this.onMessage(m));
      w.on('error', (e) => this.fail(e));
      w.postMessage({
        t: 'init',
        index: i,
        partitions,
        calibration,
        dedupWindowMs: setup.options.dedupWindowMs,
      } satisfies ToWorker & { partitions: number });
      this.workers.push(w);
    }
  }

  async execute(correlation: CorrelationStage, matcher: SketchMatcher | undefined): Promise<CoreOutcome> {
    const { files, totalBytes } = expandInputs(this.setup.options.inputs);
    const latest = new Map<string, AccountSketch>();
    const tick = async (now: number): Promise<void> => {
      this.flushAll();
      this.sketchReplies = [];
      this.broadcast({ t: 'tick', now });
      await this.until(() => this.sketchReplies.length === this.partitions);
      const flags = correlationPass(this.sketchReplies.flat(), now, correlation, latest, matcher);
      const perWorker = this.workers.map(() => [] as typeof flags);
      for (const f of flags) perWorker[partitionOf(f.account, this.partitions)]!.push(f);
      this.workers.forEach((w, i) =>
        w.postMessage({ t: 'flags', now, flags: perWorker[i]! } satisfies ToWorker),
      );
    };
    let reported = 0;
    for (const file of files) {
      this.counts.files++;
      this.file = file;
      const stream = await openByteStream(file);
      for await (const items of splitLines(stream, (n) => (this.counts.bytes_read += n))) {
        for (const item of items) {
          const routed = this.routeLine(item);
          if (routed === null) continue;
          // A pass due before this line must see the state without it.
          if (routed.due !== null) await tick(routed.due);
          this.push(routed.account, routed.line, routed.text);
        }
        this.flushAll();
        await this.until(() => this.inFlight < MAX_IN_FLIGHT);
        if (this.setup.options.onProgress && this.counts.bytes_read - reported > 4 << 20) {
          reported = this.counts.bytes_read;
          this.setup.options.onProgress({ bytes: reported, totalBytes, events: this.events });
        }
      }
    }
    await tick(this.clock.finalPass());
    this.resultReplies = [];
    this.broadcast({ t: 'finish' });
    await this.until(() => this.resultReplies.length === this.partitions && this.inFlight === 0);
    return {
      counts: this.counts,
      files,
      results: this.resultReplies.flat(),
      latest,
      clock: this.clock,
      partitions: this.partitions,
    };
  }

  /** Decides where one line goes; null when it was handled here (blank, dead letter, broadcast record). */
  private routeLine(item: LineItem): Routed | null {
    const c = this.counts;
    c.lines_read++;
    if (item.kind === 'bad') {
      c.records_read++;
      this.mainDead({
        file: this.file,
        line: item.line,
        format: 'ndjson',
        reason: item.reason,
        raw: item.sample,
        raw_bytes: item.bytes,
      });
      return null;
    }
    const text = item.text;
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) {
      c.blank_lines++;
      return null;
    }
    c.records_read++;
    c.by_format['ndjson'] = (c.by_format['ndjson'] ?? 0) + 1;
    const special =
      item.lastWithoutNewline || text.includes('"type":"account"') || text.includes('"type":"model_release"');
    const account = special ? null : rawStringField(text, 'account');
    const ts = account === null ? null : rawTs(text);
    if (account === null || ts === null) return this.handleHere(item.line, text, item.lastWithoutNewline);
    return { account, line: item.line, text, due: this.clock.advance(ts) };
  }

  /** Lines the main thread must parse: signup/release records (broadcast), or lines whose account or time is not certain. */
  private handleHere(line: number, text: string, last: boolean): Routed | null {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.mainDead({
        file: this.file,
        line,
        format: 'ndjson',
        reason: last ? `truncated last line (no newline at end of file): ${msg}` : `malformed JSON: ${msg}`,
        raw: text.slice(0, 1024),
        raw_bytes: Buffer.byteLength(text),
      });
      return null;
    }
    const v = validateCandidate(value);
    if (!v.ok) {
      const d = deadLetterOf(this.file, line, 'ndjson', v.problem, text);
      this.mainDead(d);
      return null;
    }
    const r = v.record;
    if (r.kind === 'event')
      return { account: r.event.account, line, text, due: this.clock.advance(r.event.ts) };
    this.counts.accepted++;
    this.counts.by_kind[r.kind]++;
    this.flushAll();
    this.broadcast(
      r.kind === 'account' ? { t: 'account', record: r.account } : { t: 'release', record: r.release },
    );
    return null;
  }

  private push(account: string, line: number, text: string): void {
    const p = partitionOf(account, this.partitions);
    const b = this.buffers[p]!;
    b.lines.push(text);
    b.lineNos.push(line);
    if (b.lines.length >= FLUSH_LINES) this.flush(p);
  }

  private flush(p: number): void {
    const b = this.buffers[p]!;
    if (b.lines.length === 0) return;
    const seq = this.seq++;
    this.inFlight++;
    this.workers[p]!.postMessage({
      t: 'lines',
      seq,
      file: this.file,
      lines: b.lines,
      lineNos: b.lineNos,
    } satisfies ToWorker);
    this.buffers[p] = { lines: [], lineNos: [] };
  }

  private flushAll(): void {
    for (let p = 0; p < this.partitions; p++) this.flush(p);
  }

  private broadcast(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  private mainDead(d: DeadLetter): void {
    const seq = this.seq++;
    this.completeDead(seq, [d]);
  }

  private completeDead(seq: number, dead: DeadLetter[]): void {
    this.counts.dead_lettered += dead.length;
    this.deadBySeq.set(seq, dead);
    while (this.deadBySeq.has(this.nextDeadSeq)) {
      for (const d of this.deadBySeq.get(this.nextDeadSeq)!) this.setup.deadletters.write(d);
      this.deadBySeq.delete(this.nextDeadSeq);
      this.nextDeadSeq++;
    }
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'done':
        this.inFlight--;
        this.counts.accepted += m.accepted;
        this.counts.duplicates += m.duplicates;
        this.counts.by_kind.event += m.events;
        this.events += m.events;
        this.completeDead(m.seq, m.dead);
        break;
      case 'sketches':
        this.sketchReplies.push(m.sketches);
        break;
      case 'results':
        this.resultReplies.push(m.results);
        break;
      case 'error':
        this.fail(new Error(`partition worker failed: ${m.message}`));
        break;
    }
    this.wake?.();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake?.();
  }

  /** Waits for worker messages until `ready()` holds; rethrows a worker failure. */
  private async until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (ready()) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
