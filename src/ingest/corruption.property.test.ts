import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFiles } from './formats/fixtures/golden.js';
import { MAX_LINE_BYTES } from './line-reader.js';

/**
 * Property: whatever mix of valid lines and corruptions a file holds (malformed or truncated
 * JSON, binary junk, invalid UTF-8, lines over 1 MiB, wrong types, missing fields, non-objects,
 * duplicate ids), with CRLF or LF, a BOM or not, blank lines, gzip or not, a final newline or not:
 * the scan never throws, counts add up, every corrupted line is dead-lettered with its exact
 * physical line number, and every valid line is accepted (or counted as a duplicate).
 */

const dir = mkdtempSync(join(tmpdir(), 'stillwatch-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Fmt = 'ndjson' | 'openai' | 'otlp';
type Corruption =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'utf8'; at: number }
  | { kind: 'oversize' }
  | { kind: 'wrong'; which: number }
  | { kind: 'missing'; which: number }
  | { kind: 'not-object'; which: number }
  | { kind: 'duplicate'; of: number };

const T0 = 1773133200000;

function record(fmt: Fmt, i: number, text: string): Record<string, unknown> {
  if (fmt === 'ndjson')
    return {
      id: `ev-${i}`,
      ts: T0 + i * 1000,
      account: `acct_${i % 3}`,
      model: 'gpt-4o',
      messages: [{ role: 'user', content: text }],
      params: { temperature: 0.5 },
      usage: { input_tokens: 10 },
    };
  if (fmt === 'otlp') return otlpLine(i, text);
  return {
    timestamp: T0 + i * 1000,
    request_id: `req-${i}`,
    account: `acct_${i % 3}`,
    ip: '192.0.2.1',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: text }], temperature: 0.5 },
  };
}

const sv = (key: string, v: string): object => ({ key, value: { stringValue: v } });

/** One export request per line: a GenAI chat span (a record) and an HTTP span (skipped, counted). */
function otlpLine(i: number, text: string): Record<string, unknown> {
  const start = BigInt(T0 + i * 1000) * 1_000_000n;
  const traceId = (i + 1).toString(16).padStart(32, '0');
  const messages = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]);
  const chat = {
    traceId,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'chat gpt-4o',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 500_000_000n),
    attributes: [
      sv('gen_ai.operation.name', 'chat'),
      sv('gen_ai.request.model', 'gpt-4o'),
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
      sv('gen_ai.input.messages', messages),
    ],
  };
  const http = {
    traceId,
    spanId: (i + 1 + 0x10000000).toString(16).padStart(16, '0'),
    name: 'POST',
    startTimeUnixNano: String(start),
    attributes: [sv('http.request.method', 'POST')],
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: [sv('stillwatch.account', `acct_${i % 3}`)] },
        scopeSpans: [{ scope: { name: 'gw' }, spans: [chat, http] }],
      },
    ],
  };
}

type Json = Record<string, unknown>;
const first = (o: Json, key: string): Json => (o[key] as Json[])[0]!;
const chatSpan = (o: Json): Json => first(first(first(o, 'resourceSpans'), 'scopeSpans'), 'spans');
const chatAttrs = (o: Json): { key: string; value: unknown }[] =>
  chatSpan(o)['attributes'] as { key: string; value: unknown }[];

/** Per format: ways to give a field a value of the wrong type, or take a required one away. */
const WRONG: Record<Fmt, ((o: Record<string, unknown>) => void)[]> = {
  ndjson: [
    (o) => (o['id'] = 42),
    (o) => (o['ts'] = 'not a date'),
    (o) => (o['account'] = null),
    (o) => (o['model'] = []),
    (o) => (o['messages'] = 'hello'),
    (o) => (o['ip'] = '999.0.0.1'),
    (o) => (o['params'] = { temperature: 'hot' }),
    (o) => (o['usage'] = { input_tokens: -1 }),
    (o) => (o['status'] = '200'),
    (o) => (o['type'] = 'nope'),
  ],
  openai: [
    (o) => (o['request_id'] = 42),
    (o) => (o['timestamp'] = 'soon'),
    (o) => (o['account'] = []),
    (o) => ((o['request'] as Record<string, unknown>)['model'] = 5),
    (o) => ((o['request'] as Record<string, unknown>)['temperature'] = 'x'),
    (o) => (o['ip'] = 'not-an-ip'),
  ],
  otlp: [
    (o) => (chatAttrs(o)[2]!.value = { intValue: 'ten' }),
    (o) => (chatAttrs(o)[1]!.value = { intValue: '4' }),
    (o) => (chatAttrs(o)[3]!.value = { stringValue: '[{"role":' }),
    (o) => (chatSpan(o)['traceId'] = 'xyz'),
    (o) => (chatSpan(o)['startTimeUnixNano'] = 'soon'),
    (o) => (chatSpan(o)['attributes'] = 'x'),
  ],
};
const del = (key: string) => (o: Json) => void delete o[key];
const REMOVE: Record<Fmt, ((o: Json) => void)[]> = {
  ndjson: ['id', 'ts', 'account', 'model', 'messages'].map(del),
  openai: ['request_id', 'timestamp', 'account'].map(del),
  otlp: [
    (o) => ((first(o, 'resourceSpans')['resource'] as Json)['attributes'] = []),
    (o) => void chatAttrs(o).splice(1, 1),
    (o) => void delete chatSpan(o)['startTimeUnixNano'],
    (o) => void delete chatSpan(o)['spanId'],
  ],
};
const NOT_OBJECTS = ['[1,2,3]', '"a string"', '42', 'null', 'true'];

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Corruption>({ kind: 'none' }) },
  {
    weight: 2,
    arbitrary: fc
      .double({ min: 0.01, max: 0.99, noNaN: true })
      .map<Corruption>((at) => ({ kind: 'truncate', at })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 0, maxLength: 40 })
      .map<Corruption>((bytes) => ({ kind: 'binary', bytes })),
  },
  {
    weight: 1,
    arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map<Corruption>((at) => ({ kind: 'utf8', at })),
  },
  { weight: 1, arbitrary: fc.constant<Corruption>({ kind: 'oversize' }) },
  { weight: 2, arbitrary: fc.nat(99).map<Corruption>((which) => ({ kind: 'wrong', which })) },
  { weight: 1, arbitrary: fc.nat(99).map<Corruption>((which) => ({ kind: 'missing', which })) },
  { weight: 1, arbitrary: fc.nat(99).map<Corruption>((which) => ({ kind: 'not-object', which })) },
  { weight: 2, arbitrary: fc.nat(1000).map<Corruption>((of) => ({ kind: 'duplicate', of })) },
);

const scenario = fc.record({
  fmt: fc.constantFrom<Fmt>('ndjson', 'openai', 'otlp'),
  lines: fc.array(
    fc.record({ c: corruption, text: fc.string({ maxLength: 30 }), blankBefore: fc.boolean() }),
    { minLength: 1, maxLength: 30 },
  ),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  gzip: fc.boolean(),
  finalNewline: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Expected {
  bytes: Buffer;
  deadLines: number[];
  acceptedIds: string[];
  duplicates: number;
  skipped: number;
}

/** Builds the file and, independently of the ingest code, what a correct scan must report. */
function build(s: Scenario): Expected {
  const eol = Buffer.from(s.crlf ? '\r\n' : '\n');
  const parts: Buffer[] = s.bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  const exp: Expected = { bytes: Buffer.alloc(0), deadLines: [], acceptedIds: [], duplicates: 0, skipped: 0 };
  const seen = new Set<string>();
  const valid: { id: string; json: string }[] = [];
  let lineNo = 0;
  s.lines.forEach((l, i) => {
    if (l.blankBefore) {
      parts.push(Buffer.from('  '), eol);
      lineNo++;
    }
    const base = record(s.fmt, i, l.text);
    const id =
      s.fmt === 'otlp'
        ? `${String(chatSpan(base)['traceId'])}:${String(chatSpan(base)['spanId'])}`
        : String(s.fmt === 'ndjson' ? base['id'] : base['request_id']);
    const { bytes, dead, dupOf } = corrupt(s.fmt, base, l.c, valid);
    const isLast = i === s.lines.length - 1;
    parts.push(bytes);
    if (!isLast || s.finalNewline) parts.push(eol);
    lineNo++;
    // Every OTLP line that parses carries one HTTP span: skipped, and counted as such.
    if (s.fmt === 'otlp' && ['none', 'wrong', 'missing', 'duplicate'].includes(l.c.kind)) exp.skipped++;
    if (dead) return void exp.deadLines.push(lineNo);
    const effective = dupOf ?? id;
    if (seen.has(effective)) exp.duplicates++;
    else {
      seen.add(effective);
      exp.acceptedIds.push(effective);
    }
    if (dupOf === undefined) valid.push({ id, json: bytes.toString('utf8') });
  });
  exp.bytes = Buffer.concat(parts);
  return exp;
}

function corrupt(
  fmt: Fmt,
  base: Record<string, unknown>,
  c: Corruption,
  valid: { id: string; json: string }[],
): { bytes: Buffer; dead: boolean; dupOf?: string } {
  const json = JSON.stringify(base);
  switch (c.kind) {
    case 'none':
      return { bytes: Buffer.from(json), dead: false };
    case 'truncate':
      return { bytes: Buffer.from(json.slice(0, Math.max(1, Math.floor(json.length * c.at)))), dead: true };
    case 'binary':
      // A leading 0xFF is never valid UTF-8; newlines are left out so that it stays one line.
      return {
        bytes: Buffer.concat([Buffer.from([0xff]), Buffer.from(c.bytes.filter((b) => b !== 10 && b !== 13))]),
        dead: true,
      };
    case 'utf8': {
      const b = Buffer.from(json);
      const at = Math.floor(b.length * c.at);
      return {
        bytes: Buffer.concat([b.subarray(0, at), Buffer.from([0xc3, 0x28]), b.subarray(at)]),
        dead: true,
      };
    }
    case 'oversize':
      return { bytes: Buffer.from(JSON.stringify({ ...base, pad: 'x'.repeat(MAX_LINE_BYTES) })), dead: true };
    case 'wrong': {
      const fns = WRONG[fmt];
      const o = structuredClone(base);
      fns[c.which % fns.length]?.(o);
      return { bytes: Buffer.from(JSON.stringify(o)), dead: true };
    }
    case 'missing': {
      const fns = REMOVE[fmt];
      const o = structuredClone(base);
      fns[c.which % fns.length]?.(o);
      return { bytes: Buffer.from(JSON.stringify(o)), dead: true };
    }
    case 'not-object':
      return { bytes: Buffer.from(NOT_OBJECTS[c.which % NOT_OBJECTS.length] ?? '42'), dead: true };
    case 'duplicate': {
      const prev = valid[c.of % Math.max(1, valid.length)];
      return prev
        ? { bytes: Buffer.from(prev.json), dead: false, dupOf: prev.id }
        : { bytes: Buffer.from(json), dead: false };
    }
  }
}

let runNo = 0;

describe('ingest: corrupted input (property)', () => {
  it('never throws, counts add up, every bad line is reported with its line number, no valid line is lost', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const exp = build(s);
        const path = join(dir, `p${++runNo}.${s.gzip ? 'ndjson.gz' : 'ndjson'}`);
        writeFileSync(path, s.gzip ? gzipSync(exp.bytes) : exp.bytes);
        const run = await ingestFiles([path]);
        const c = run.counts;
        expect(c.records_read).toBe(c.accepted + c.dead_lettered + c.duplicates);
        expect(c.lines_read).toBe(c.blank_lines + c.records_read);
        expect(run.dead.map((d) => d.line)).toEqual(exp.deadLines);
        for (const d of run.dead) expect(d.reason.length).toBeGreaterThan(0);
        const ids = run.records.map((r) => (r.kind === 'event' ? r.event.id : ''));
        expect(ids).toEqual(exp.acceptedIds);
        expect(c.duplicates).toBe(exp.duplicates);
        expect(c.skipped).toBe(exp.skipped);
        expect(c.files).toBe(1);
        rmSync(path);
      }),
      { numRuns: 120, seed: Number(process.env['FC_SEED'] ?? 20260310) },
    );
  });
});
