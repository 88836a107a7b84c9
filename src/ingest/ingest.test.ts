import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { ingestFiles, type IngestRun } from './formats/fixtures/golden.js';
import { MAX_LINE_BYTES } from './line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'stillwatch-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer, ext = 'ndjson'): string {
  const p = join(dir, `f${++n}.${ext}`);
  writeFileSync(p, content);
  return p;
}

const ev = (i: number, extra: object = {}): Record<string, unknown> => ({
  id: `ev-${i}`,
  ts: 1773133200000 + i * 1000,
  account: 'acct_1',
  model: 'gpt-4o',
  messages: [{ role: 'user', content: `question ${i}` }],
  ...extra,
});
const line = (o: unknown): string => JSON.stringify(o);

function balanced(run: IngestRun): void {
  const c = run.counts;
  expect(c.records_read).toBe(c.accepted + c.dead_lettered + c.duplicates);
  expect(run.dead.length).toBe(c.dead_lettered);
}

describe('ingest: awkward files', () => {
  it('an empty file reads zero lines and zero records', async () => {
    const run = await ingestFiles([file(''), file('', 'json')]);
    expect(run.counts).toMatchObject({
      files: 2,
      lines_read: 0,
      records_read: 0,
      accepted: 0,
      dead_lettered: 0,
    });
  });

  it('blank and whitespace-only lines are counted as blank, not as records', async () => {
    const run = await ingestFiles([file(`\n  \n${line(ev(1))}\n\t\n`)]);
    expect(run.counts).toMatchObject({ lines_read: 4, blank_lines: 3, records_read: 1, accepted: 1 });
  });

  it('binary junk is dead-lettered line by line and never throws', async () => {
    const junk = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x7b, 0x22, 0x0a, 0xc3, 0x28, 0x0a, 0x01, 0x02, 0x03]);
    const run = await ingestFiles([file(Buffer.concat([junk, Buffer.from(`\n${line(ev(1))}\n`)]))]);
    balanced(run);
    expect(run.counts.accepted).toBe(1);
    expect(run.dead.map((d) => d.line)).toEqual([1, 2, 3, 4]);
    expect(run.dead[0]?.reason).toBe('invalid UTF-8 at byte 1');
    expect(run.dead[2]?.reason).toBe('invalid UTF-8 at byte 0');
    expect(run.dead[1]?.reason).toMatch(/^malformed JSON: /);
  });

  it('a truncated last line is reported as such, with its line number', async () => {
    const run = await ingestFiles([file(`${line(ev(1))}\n${line(ev(2)).slice(0, 40)}`)]);
    expect(run.dead).toHaveLength(1);
    expect(run.dead[0]).toMatchObject({ line: 2 });
    expect(run.dead[0]?.reason).toMatch(/^truncated last line \(no newline at end of file\)/);
  });

  it('a last line without a newline that is complete is accepted', async () => {
    const run = await ingestFiles([file(`${line(ev(1))}\n${line(ev(2))}`)]);
    expect(run.counts.accepted).toBe(2);
  });

  it('lines over 1 MiB are dead-lettered without being buffered, and the next line keeps its number', async () => {
    const big = line(ev(2, { prompt: 'x'.repeat(MAX_LINE_BYTES + 10) }));
    const run = await ingestFiles([file(`${line(ev(1))}\n${big}\n${line(ev(3))}\n${big}`)]);
    balanced(run);
    expect(run.counts.accepted).toBe(2);
    expect(run.dead.map((d) => d.line)).toEqual([2, 4]);
    expect(run.dead[0]?.reason).toBe(
      `line is ${Buffer.byteLength(big)} bytes, over the ${MAX_LINE_BYTES}-byte limit`,
    );
    expect(run.dead[0]?.raw.length).toBeLessThanOrEqual(1024);
  });

  it('invalid UTF-8 inside an otherwise valid line names the byte offset', async () => {
    const bad = Buffer.concat([
      Buffer.from('{"id":"x","note":"'),
      Buffer.from([0xe2, 0x28, 0xa1]),
      Buffer.from('"}\n'),
    ]);
    const run = await ingestFiles([
      file(Buffer.concat([Buffer.from(`${line(ev(1))}\n`), bad, Buffer.from(`${line(ev(3))}\n`)])),
    ]);
    expect(run.dead).toHaveLength(1);
    expect(run.dead[0]).toMatchObject({ line: 2, reason: 'invalid UTF-8 at byte 18' });
    expect(run.counts.accepted).toBe(2);
  });

  it('CRLF line endings are accepted', async () => {
    const run = await ingestFiles([file(`${line(ev(1))}\r\n${line(ev(2))}\r\n`)]);
    expect(run.counts).toMatchObject({ accepted: 2, dead_lettered: 0 });
  });

  it('a byte-order mark at the start of the file is stripped; one mid-file is a malformed line', async () => {
    const run = await ingestFiles([file(`\uFEFF${line(ev(1))}\n\uFEFF${line(ev(2))}\n`)]);
    expect(run.counts.accepted).toBe(1);
    expect(run.dead[0]).toMatchObject({ line: 2 });
    expect(run.dead[0]?.reason).toMatch(/^malformed JSON/);
    const doc = await ingestFiles([file(`\uFEFF${JSON.stringify([ev(1), ev(2)])}`, 'json')]);
    expect(doc.counts.accepted).toBe(2);
  });

  it('an event id seen twice counts once, as a duplicate', async () => {
    const run = await ingestFiles([file(`${line(ev(1))}\n${line(ev(1))}\n${line(ev(2))}\n`)]);
    expect(run.counts).toMatchObject({ records_read: 3, accepted: 2, duplicates: 1 });
  });

  it('gzip is read transparently, whatever the file is called', async () => {
    const text = `${line(ev(1))}\n${line(ev(2))}\n`;
    const run = await ingestFiles([
      file(gzipSync(text), 'ndjson.gz'),
      file(gzipSync(text.replaceAll('ev-', 'gz-')), 'log'),
    ]);
    expect(run.counts).toMatchObject({ files: 2, accepted: 4, dead_lettered: 0 });
  });

  it('a truncated gzip keeps the lines before the cut and reports the read error', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => line(ev(i))).join('\n') + '\n';
    const gz = gzipSync(text);
    const run = await ingestFiles([
      file(gz.subarray(0, Math.floor(gz.length * 0.6)), 'ndjson.gz'),
      file(`${line(ev(9999))}\n`),
    ]);
    balanced(run);
    const last = run.dead[run.dead.length - 1];
    expect(last?.reason).toMatch(/^read error after \d+ bytes \(input cut short or corrupt\)/);
    expect(run.counts.accepted).toBeGreaterThan(100);
    // The next file is still read.
    expect(run.records.some((r) => r.kind === 'event' && r.event.id === 'ev-9999')).toBe(true);
  });

  it('a .json file holding NDJSON is read line by line, a broken line included', async () => {
    const run = await ingestFiles([file(`${line(ev(1))}\n{"id":\n${line(ev(2))}\n`, 'json')]);
    expect(run.counts).toMatchObject({ accepted: 2, dead_lettered: 1, lines_read: 3 });
    expect(run.dead[0]?.line).toBe(2);
  });

  it('a cut-off pretty-printed document is one dead letter at the line where parsing stopped', async () => {
    const doc = JSON.stringify(
      { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'a', spanId: 'b', attributes: [] }] }] }] },
      null,
      2,
    );
    const cut = doc.slice(0, doc.indexOf('"spanId"'));
    const run = await ingestFiles([file(cut, 'json'), file(`${line(ev(1))}\n`)]);
    balanced(run);
    expect(run.dead).toHaveLength(1);
    expect(run.dead[0]?.reason).toMatch(/^malformed JSON document: /);
    expect(run.dead[0]?.line).toBe(cut.split('\n').length);
    expect(run.counts).toMatchObject({
      records_read: 2,
      accepted: 1,
      lines_read: cut.split('\n').length + 1,
    });
  });

  it('a forced format applies to every line', async () => {
    const run = await ingestFiles([file(`${line({ resourceSpans: [] })}\n`)], { format: 'ndjson' });
    expect(run.dead[0]?.reason).toBe('field "id": expected string, found nothing (missing) (+3 more issues)');
  });

  it('each file in a directory is detected on its own', async () => {
    const sub = mkdtempSync(join(dir, 'mixed-'));
    writeFileSync(join(sub, 'a.ndjson'), `${line(ev(1))}\n`);
    writeFileSync(
      join(sub, 'b.jsonl'),
      `${line({ timestamp: 1773133200, request_id: 'r1', org: 'o', request: { model: 'm', messages: [] } })}\n`,
    );
    const run = await ingestFiles([sub]);
    expect(run.counts.by_format).toEqual({ ndjson: 1, openai: 1 });
    expect(run.counts.accepted).toBe(2);
  });
});

/**
 * One row per TrafficEvent field: a value of the wrong type, and what the dead letter must say.
 * The dead letter names the field (dotted path), what was expected and what was found.
 */
const WRONG: [field: string, patch: Record<string, unknown>, expected: RegExp, found: string][] = [
  ['type', { type: 'evnt' }, /event/, 'string "evnt"'],
  ['id', { id: 42 }, /string/, 'number 42'],
  ['id', { id: '' }, /length >= 1/, 'string ""'],
  ['ts', { ts: true }, /number \| string/, 'boolean true'],
  ['ts', { ts: 'not a date' }, /ISO-8601/, 'string "not a date"'],
  ['ts', { ts: -5 }, /value >= 0/, 'number -5'],
  ['account', { account: null }, /string/, 'null'],
  ['model', { model: ['gpt'] }, /string/, 'array(1)'],
  ['messages', { messages: 'hi' }, /array/, 'string "hi"'],
  ['messages.0.role', { messages: [{ role: 7, content: 'x' }] }, /string/, 'number 7'],
  ['messages.0.content', { messages: [{ role: 'user', content: 5 }] }, /string|array|null/, 'number 5'],
  ['messages', { messages: undefined }, /`messages` or `prompt`/, 'nothing (missing)'],
  ['prompt', { messages: undefined, prompt: 12 }, /string/, 'number 12'],
  ['org', { org: 1 }, /string/, 'number 1'],
  ['key', { key: {} }, /string/, 'object'],
  ['end_user', { end_user: false }, /string/, 'boolean false'],
  ['ip', { ip: '999.1.1.1' }, /ipv4 \| ipv6/, 'string "999.1.1.1"'],
  ['asn', { asn: 'ASX' }, /number|regex|string/, 'string "ASX"'],
  ['country', { country: 33 }, /string/, 'number 33'],
  ['user_agent', { user_agent: [] }, /string/, 'array(0)'],
  ['tls_fp', { tls_fp: 1 }, /string/, 'number 1'],
  ['endpoint', { endpoint: 1 }, /string/, 'number 1'],
  ['tools', { tools: 'many' }, /number \| array/, 'string "many"'],
  ['params', { params: 'hot' }, /object/, 'string "hot"'],
  ['params.temperature', { params: { temperature: '0.7' } }, /number/, 'string "0.7"'],
  ['params.top_p', { params: { top_p: 2 } }, /value <= 1/, 'number 2'],
  ['params.max_tokens', { params: { max_tokens: 1.5 } }, /int/, 'number 1.5'],
  ['params.n', { params: { n: 0 } }, /value > 0|value >= 1|positive/, 'number 0'],
  ['params.logprobs', { params: { logprobs: 'yes' } }, /boolean/, 'string "yes"'],
  ['params.top_logprobs', { params: { top_logprobs: -1 } }, /value >= 0/, 'number -1'],
  ['params.reasoning_effort', { params: { reasoning_effort: 3 } }, /string/, 'number 3'],
  ['params.stream', { params: { stream: 'true' } }, /boolean/, 'string "true"'],
  ['usage', { usage: 5 }, /object/, 'number 5'],
  ['usage.input_tokens', { usage: { input_tokens: '10' } }, /number/, 'string "10"'],
  ['usage.output_tokens', { usage: { output_tokens: -1 } }, /value >= 0/, 'number -1'],
  ['usage.reasoning_tokens', { usage: { reasoning_tokens: 0.5 } }, /int/, 'number 0.5'],
  ['usage.cached_tokens', { usage: { cached_tokens: null } }, /number/, 'null'],
  ['output', { output: 1 }, /string/, 'number 1'],
  ['finish_reason', { finish_reason: ['stop'] }, /string/, 'array(1)'],
  ['status', { status: '200' }, /number/, 'string "200"'],
  ['latency_ms', { latency_ms: -3 }, /value >= 0/, 'number -3'],
];

describe('ingest: a wrong type in every TrafficEvent field', () => {
  it.each(WRONG)('%s ← %j', async (field, patch, expected, found) => {
    const bad = { ...ev(2), ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete bad[k];
    const run = await ingestFiles([file(`${line(ev(1))}\n${line(bad)}\n${line(ev(3))}\n`)]);
    balanced(run);
    expect(run.counts.accepted).toBe(2);
    expect(run.dead).toHaveLength(1);
    const d = run.dead[0]!;
    expect(d.line).toBe(2);
    expect(d.field).toBe(field);
    expect(d.expected).toMatch(expected);
    expect(d.found).toBe(found);
    expect(d.reason).toContain(`field "${field}": expected `);
    expect(d.reason).toContain(`found ${found}`);
  });
});
