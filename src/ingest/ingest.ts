import type { IngestRecord } from '../domain/index.js';
import { DedupWindow } from './dedup.js';
import { formatByName, sniffFormat } from './formats/registry.js';
import { expandInputs, mayBeWholeDocument } from './inputs.js';
import {
  firstInvalidUtf8,
  MAX_LINE_BYTES,
  openByteStream,
  splitLines,
  type LineItem,
} from './line-reader.js';
import {
  emptyCounts,
  type ConvertProblem,
  type DeadLetter,
  type FormatName,
  type IngestCounts,
  type SourceFormat,
} from './types.js';
import { validateCandidate } from './validate.js';
import { deadLetterOf } from './dead-letter.js';

export interface IngestOptions {
  /** Force a format instead of detecting it per file. */
  format?: FormatName;
  onDeadLetter: (d: DeadLetter) => void;
  onBytes?: (n: number) => void;
  /** Event ids are deduplicated within this much event time (default 24 h). */
  dedupWindowMs?: number;
}

const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/**
 * Reads inputs and yields validated records in batches. Every line ends up in exactly one of
 * accepted, dead-lettered or duplicate; `counts` add up at every point.
 * @example for await (const batch of ing.records()) for (const r of batch) handle(r);
 */
export class Ingestor {
  readonly counts: IngestCounts = emptyCounts();
  readonly files: string[];
  readonly totalBytes: number;
  private readonly dedup: DedupWindow;

  constructor(
    inputs: readonly string[],
    private readonly opts: IngestOptions,
  ) {
    const expanded = expandInputs(inputs);
    this.files = expanded.files;
    this.totalBytes = expanded.totalBytes;
    this.dedup = new DedupWindow(opts.dedupWindowMs);
  }

  async *records(): AsyncGenerator<IngestRecord[]> {
    for (const file of this.files) {
      this.counts.files++;
      yield* this.readFile(file);
    }
  }

  private async *readFile(file: string): AsyncGenerator<IngestRecord[]> {
    let stream: AsyncIterable<Buffer>;
    try {
      stream = await openByteStream(file);
    } catch (e) {
      // An unreadable file (vanished, permissions, a directory given as stdin…) is one bad record, not a crash.
      this.counts.records_read++;
      this.dead(file, 0, 'unknown', { reason: `cannot read file: ${errorMessage(e)}` }, '', 0);
      return;
    }
    const onBytes = (n: number): void => {
      this.counts.bytes_read += n;
      this.opts.onBytes?.(n);
    };
    const format: SourceFormat | undefined = this.opts.format ? formatByName(this.opts.format) : undefined;
    if (mayBeWholeDocument(file)) {
      const it = stream[Symbol.asyncIterator]();
      const whole = await readBounded(it);
      const doc = whole.rest || whole.error ? undefined : tryParseDocument(whole.head);
      if (doc && 'value' in doc) {
        onBytes(whole.head.length);
        yield this.handleDocument(file, doc.value, countLines(whole.head), format);
        return;
      }
      if (doc && looksLikeDocument(whole.head)) {
        // A broken pretty-printed document (e.g. a cut-off OTLP export) is one bad record with the
        // parser's reason and line, not hundreds of "malformed JSON" lines.
        onBytes(whole.head.length);
        this.counts.lines_read += countLines(whole.head);
        this.counts.records_read++;
        const sample = whole.head.subarray(0, 1024).toString('utf8');
        this.dead(
          file,
          doc.line,
          format?.name ?? 'unknown',
          { reason: `malformed JSON document: ${doc.error}` },
          sample,
          whole.head.length,
        );
        return;
      }
      // Not one document (e.g. NDJSON named .json, or too big for one): read it line by line.
      yield* this.readLines(file, chain(whole.head, whole.rest, whole.error), format, onBytes);
      return;
    }
    yield* this.readLines(file, stream, format, onBytes);
  }

  private async *readLines(
    file: string,
    stream: AsyncIterable<Buffer>,
    forced: SourceFormat | undefined,
    onBytes: (n: number) => void,
  ): AsyncGenerator<IngestRecord[]> {
    let format = forced;
    for await (const items of splitLines(stream, onBytes)) {
      const out: IngestRecord[] = [];
      for (const item of items) format = this.handleLine(file, item, format, out);
      if (out.length) yield out;
    }
  }

  private handleLine(
    file: string,
    item: LineItem,
    format: SourceFormat | undefined,
    out: IngestRecord[],
  ): SourceFormat | undefined {
    const c = this.counts;
    c.lines_read++;
    if (item.kind === 'bad') {
      c.records_read++;
      this.dead(file, item.line, format?.name ?? 'unknown', { reason: item.reason }, item.sample, item.bytes);
      return format;
    }
    const text = item.text;
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) {
      c.blank_lines++;
      return format;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      c.records_read++;
      const msg = errorMessage(e);
      const reason = item.lastWithoutNewline
        ? `truncated last line (no newline at end of file): ${msg}`
        : `malformed JSON: ${msg}`;
      this.dead(file, item.line, format?.name ?? 'unknown', { reason }, text, Buffer.byteLength(text));
      return format;
    }
    if (format) {
      this.acceptValue(file, item.line, format, value, text, out);
      return format;
    }
    const fmt = sniffFormat(value);
    this.acceptValue(file, item.line, fmt, value, text, out);
    // Only an object can tell the file's format; a stray `null` or `42` must not decide it.
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? fmt : undefined;
  }

  private handleDocument(
    file: string,
    doc: unknown,
    lines: number,
    forced: SourceFormat | undefined,
  ): IngestRecord[] {
    this.counts.lines_read += lines;
    const out: IngestRecord[] = [];
    const values = Array.isArray(doc) ? doc : [doc];
    const fmt = forced ?? sniffFormat(values[0]);
    values.forEach((v, i) =>
      this.acceptValue(
        file,
        1,
        fmt,
        v,
        () => JSON.stringify(v) ?? '',
        out,
        Array.isArray(doc) ? `[${i}]` : undefined,
      ),
    );
    return out;
  }

  /** `raw` is the line's text, or a thunk for whole documents so that only dead letters pay for serialising. */
  private acceptValue(
    file: string,
    line: number,
    fmt: SourceFormat,
    value: unknown,
    raw: string | (() => string),
    out: IngestRecord[],
    basePath?: string,
  ): void {
    const c = this.counts;
    const { candidates, problems, skipped = 0 } = fmt.convert(value);
    c.skipped += skipped;
    if (candidates.length === 0 && problems.length === 0 && skipped === 0)
      problems.push({ reason: `no ${fmt.name} records found in this input` });
    const join = (p?: string): string | undefined => (basePath && p ? `${basePath}.${p}` : (basePath ?? p));
    let rawMemo: string | undefined;
    const rawText = (own?: string | (() => string)): string => {
      if (own !== undefined) return typeof own === 'string' ? own : own();
      return typeof raw === 'string' ? raw : (rawMemo ??= raw());
    };
    c.by_format[fmt.name] = (c.by_format[fmt.name] ?? 0) + candidates.length + problems.length;
    for (const p of problems) {
      c.records_read++;
      const text = rawText(p.raw);
      this.dead(file, line, fmt.name, { ...p, path: join(p.path) }, text, Buffer.byteLength(text));
    }
    for (const cand of candidates) {
      c.records_read++;
      const v = validateCandidate(cand.value);
      if (!v.ok) {
        const text = rawText(cand.raw);
        this.dead(
          file,
          line,
          fmt.name,
          { ...v.problem, path: join(cand.path) },
          text,
          Buffer.byteLength(text),
        );
        continue;
      }
      const r = v.record;
      if (r.kind === 'event' && this.dedup.seen(r.event.id, r.event.ts)) {
        c.duplicates++;
        continue;
      }
      c.accepted++;
      c.by_kind[r.kind === 'model_release' ? 'model_release' : r.kind]++;
      out.push(r);
    }
  }

  private dead(
    file: string,
    line: number,
    format: DeadLetter['format'],
    p: ConvertProblem,
    raw: string,
    rawBytes: number,
  ): void {
    this.counts.dead_lettered++;
    const d = deadLetterOf(file, line, format, p, raw, rawBytes);
    this.opts.onDeadLetter(d);
  }
}

/**
 * Reads up to MAX_DOCUMENT_BYTES; if there is more, hands back the rest of the stream unread.
 * A read error (e.g. a truncated gzip member) is handed back with the bytes read before it.
 */
async function readBounded(
  it: AsyncIterator<Buffer>,
): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> | null; error?: unknown }> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) return { head: Buffer.concat(parts), rest: null };
      parts.push(r.value);
      size += r.value.length;
      if (size > MAX_DOCUMENT_BYTES) return { head: Buffer.concat(parts), rest: it };
    }
  } catch (error) {
    return { head: Buffer.concat(parts), rest: null, error };
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function countLines(buf: Buffer): number {
  let lines = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lines++;
  if (buf.length > 0 && buf[buf.length - 1] !== 10) lines++;
  return lines;
}

function tryParseDocument(buf: Buffer): { value: unknown } | { error: string; line: number } | undefined {
  if (buf.length > MAX_LINE_BYTES * 512) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return {
      error: `invalid UTF-8 at byte ${firstInvalidUtf8(buf)}`,
      line: countLines(buf.subarray(0, firstInvalidUtf8(buf) + 1)),
    };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const msg = errorMessage(e);
    const at = /at position (\d+)/.exec(msg);
    const pos = at ? Number(at[1]) : text.length;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
    return { error: msg, line };
  }
}

/**
 * Whether a .json file that failed to parse whole was meant as one document rather than NDJSON:
 * in NDJSON nearly every line is a whole object; in a pretty-printed document almost none is.
 */
function looksLikeDocument(head: Buffer): boolean {
  const lines = head
    .subarray(0, 64 * 1024)
    .toString('utf8')
    .split('\n')
    .slice(0, 51);
  if (head.length > 64 * 1024) lines.pop();
  let total = 0;
  let objects = 0;
  for (const raw of lines) {
    const l = raw.trim();
    if (l === '') continue;
    total++;
    try {
      const v: unknown = JSON.parse(l);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) objects++;
    } catch {
      // not a whole line of JSON
    }
  }
  return total > 1 && objects * 2 < total;
}

/** The bytes already read, then whatever the stream still holds (or the error that stopped it, for the splitter to report). */
async function* chain(
  head: Buffer,
  rest: AsyncIterator<Buffer> | null,
  error?: unknown,
): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  if (error !== undefined) throw error instanceof Error ? error : new Error(errorMessage(error));
  if (!rest) return;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}
