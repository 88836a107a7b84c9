import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, goldenText, ingestFiles, readGolden } from './fixtures/golden.js';
import { openaiFormat } from './openai-log.js';
import { sniffFormat } from './registry.js';
import { validateCandidate } from '../validate.js';

describe('openai request-log format: golden fixture', () => {
  it('chat, streamed chat, Responses, streamed Responses, Completions, Helicone and LiteLLM rows', async () => {
    const run = await ingestFiles([join(FIXTURES, 'openai.ndjson')]);
    const actual = goldenText(run);
    const golden = readGolden('openai', actual);
    expect(actual.records).toBe(golden.records);
    expect(actual.dead).toBe(golden.dead);
    expect(actual.counts).toBe(golden.counts);
    expect(run.counts.by_format).toEqual({ openai: 13 });
    // A raw secret key never reaches the output.
    expect(actual.records).not.toContain('sk-proj-abcdef');
  });
});

describe('openai request-log format: details', () => {
  const line = (extra: object): object => ({
    timestamp: '2026-03-10T09:00:00Z',
    request_id: 'r1',
    org: 'org-1',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
    ...extra,
  });

  it('sniffs only request-log shapes, never a native event or an OTLP export', () => {
    expect(sniffFormat(line({})).name).toBe('openai');
    expect(sniffFormat({ request_id: 'x', call_type: 'completion', startTime: 1 }).name).toBe('openai');
    expect(sniffFormat({ id: 'e', ts: 1, account: 'a', model: 'm', prompt: 'p' }).name).toBe('ndjson');
    expect(
      sniffFormat({ id: 'e', ts: 1, account: 'a', model: 'm', prompt: 'p', request: 'GET /' }).name,
    ).toBe('ndjson');
    expect(sniffFormat({ resourceSpans: [], request: { model: 'm' } }).name).toBe('otlp');
  });

  it('takes the account from account, then org, team, project', () => {
    expect(openaiFormat.convert(line({ account: 'A', org: 'O' })).candidates[0]?.value).toMatchObject({
      account: 'A',
      org: 'O',
    });
    expect(openaiFormat.convert(line({ org: undefined, project: 'P' })).candidates[0]?.value).toMatchObject({
      account: 'P',
    });
  });

  it('names the nested request field on a wrong type', () => {
    const r = openaiFormat.convert(line({ request: { model: 'gpt-4o', messages: [], top_p: '1' } }));
    expect(r.problems[0]).toMatchObject({ field: 'request.top_p', expected: 'number', found: 'string "1"' });
    expect(r.problems[0]?.reason).toBe('field "request.top_p": expected number, found string "1"');
  });

  it('names the streamed chunk that is malformed', () => {
    const r = openaiFormat.convert(line({ response: [{ choices: [] }, { choices: 'x' }] }));
    expect(r.problems[0]?.field).toBe('response.1.choices');
  });

  it('reads request and response bodies logged as JSON text', () => {
    const l = line({
      request: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      response: JSON.stringify({ choices: [{ message: { content: 'yo' }, finish_reason: 'stop' }] }),
    });
    expect(sniffFormat(l).name).toBe('openai');
    expect(openaiFormat.convert(l).candidates[0]?.value).toMatchObject({
      model: 'gpt-4o',
      output: 'yo',
      finish_reason: 'stop',
    });
    const bad = openaiFormat.convert(line({ request: '{"model": "gpt-4o", "messages": [' }));
    expect(bad.problems[0]).toMatchObject({ field: 'request', expected: 'object' });
  });

  it('reads epoch seconds and milliseconds alike', () => {
    const a = openaiFormat.convert(line({ timestamp: 1773133200 })).candidates[0]?.value as { ts: number };
    const b = openaiFormat.convert(line({ timestamp: 1773133200000 })).candidates[0]?.value as { ts: number };
    expect(a.ts).toBe(b.ts);
  });

  it('dead-letters an unparseable time with the value found', () => {
    const r = openaiFormat.convert(line({ timestamp: 'soon' }));
    expect(r.problems[0]).toMatchObject({ field: 'timestamp', found: 'string "soon"' });
  });
});

/** Every envelope, request and response field it reads, given a value of the wrong type. */
const WRONG_FIELDS: [field: string, patch: (l: Record<string, unknown>) => void][] = [
  ['timestamp', (l) => (l['timestamp'] = true)],
  ['request_id', (l) => (l['request_id'] = 7)],
  ['account', (l) => (l['account'] = 7)],
  ['org', (l) => (l['org'] = [])],
  ['project', (l) => (l['project'] = {})],
  ['api_key_id', (l) => (l['api_key_id'] = 1)],
  ['ip', (l) => (l['ip'] = 10)],
  ['ip', (l) => (l['ip'] = 'not-an-ip')],
  ['user_agent', (l) => (l['user_agent'] = 1)],
  ['path', (l) => (l['path'] = 1)],
  ['status', (l) => (l['status'] = true)],
  ['latency_ms', (l) => (l['latency_ms'] = '5')],
  ['headers', (l) => (l['headers'] = 'x')],
  ['metadata', (l) => (l['metadata'] = 'x')],
  ['request.model', (l) => ((l['request'] as Record<string, unknown>)['model'] = 5)],
  ['request.messages', (l) => ((l['request'] as Record<string, unknown>)['messages'] = 'hi')],
  ['request.temperature', (l) => ((l['request'] as Record<string, unknown>)['temperature'] = '0.5')],
  ['request.max_tokens', (l) => ((l['request'] as Record<string, unknown>)['max_tokens'] = '5')],
  ['request.n', (l) => ((l['request'] as Record<string, unknown>)['n'] = '2')],
  ['request.logprobs', (l) => ((l['request'] as Record<string, unknown>)['logprobs'] = 'yes')],
  ['request.reasoning', (l) => ((l['request'] as Record<string, unknown>)['reasoning'] = 'high')],
  ['request.tools', (l) => ((l['request'] as Record<string, unknown>)['tools'] = {})],
  ['request.stream', (l) => ((l['request'] as Record<string, unknown>)['stream'] = 'true')],
  ['response', (l) => (l['response'] = 5)],
  ['response.choices', (l) => (l['response'] = { choices: {} })],
  ['response.usage.prompt_tokens', (l) => (l['response'] = { usage: { prompt_tokens: '5' } })],
  ['response.output', (l) => (l['response'] = { output: 'text' })],
];

describe('openai request-log format: a wrong type in every field it reads', () => {
  it.each(WRONG_FIELDS)('%s', (field, patch) => {
    const l: Record<string, unknown> = {
      timestamp: '2026-03-10T09:00:00Z',
      request_id: 'r1',
      account: 'a',
      request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
    };
    patch(l);
    const r = openaiFormat.convert(l);
    const problem =
      r.problems[0] ?? (r.candidates.length ? validateCandidate(r.candidates[0]!.value) : undefined);
    const p =
      problem && 'problem' in problem
        ? problem.problem
        : (problem as { field?: string; reason: string } | undefined);
    expect(p?.field).toBe(field);
    expect(p?.reason).toMatch(new RegExp(`^field "${field.replaceAll('.', '\\.')}": expected .+, found .+`));
  });
});
