import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, goldenText, ingestFiles, readGolden } from './fixtures/golden.js';
import { otlpFormat } from './otlp.js';
import { sniffFormat } from './registry.js';

describe('otlp format: golden fixtures', () => {
  it('a pretty-printed ExportTraceServiceRequest document (.json)', async () => {
    const run = await ingestFiles([join(FIXTURES, 'otlp-traces.json')]);
    const actual = goldenText(run);
    const golden = readGolden('otlp-traces', actual);
    expect(actual.records).toBe(golden.records);
    expect(actual.dead).toBe(golden.dead);
    expect(actual.counts).toBe(golden.counts);
    const c = run.counts;
    expect(c.records_read).toBe(c.accepted + c.dead_lettered + c.duplicates);
  });

  it('collector-style OTLP lines, plain and gzipped, give identical results', async () => {
    const plain = await ingestFiles([join(FIXTURES, 'otlp-collector.jsonl')]);
    const gz = await ingestFiles([join(FIXTURES, 'otlp-collector.ndjson.gz')]);
    const actual = goldenText(plain);
    const golden = readGolden('otlp-collector', actual);
    expect(actual.records).toBe(golden.records);
    expect(actual.dead).toBe(golden.dead);
    expect(actual.counts).toBe(golden.counts);
    expect(goldenText(gz).records).toBe(actual.records);
    expect(goldenText(gz).dead.replaceAll('otlp-collector.ndjson.gz', 'otlp-collector.jsonl')).toBe(
      actual.dead,
    );
  });
});

describe('otlp format: mapping details', () => {
  const span = (attrs: object[], extra: object = {}): object => ({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'stillwatch.account', value: { stringValue: 'acct_1' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                startTimeUnixNano: '1773057600000000000',
                attributes: attrs,
                ...extra,
              },
            ],
          },
        ],
      },
    ],
  });
  const str = (key: string, v: string): object => ({ key, value: { stringValue: v } });
  const int = (key: string, v: string | number): object => ({ key, value: { intValue: v } });

  it('sniffs OTLP ahead of the other formats', () => {
    expect(sniffFormat({ resourceSpans: [] }).name).toBe('otlp');
    expect(sniffFormat({ resourceLogs: [] }).name).toBe('otlp');
    expect(otlpFormat.sniff({ id: 'x', resourceSpans: 'no' })).toBe(false);
  });

  it('prefers current attribute names over deprecated ones', () => {
    const r = otlpFormat.convert(
      span([
        str('gen_ai.request.model', 'm'),
        str('gen_ai.provider.name', 'new'),
        str('gen_ai.system', 'old'),
        int('gen_ai.usage.input_tokens', '5'),
        int('gen_ai.usage.prompt_tokens', '9'),
      ]),
    );
    expect(r.problems).toEqual([]);
    expect(r.candidates[0]?.value).toMatchObject({
      provider: 'new',
      usage: { input_tokens: 5 },
      account: 'acct_1',
      messages: [],
    });
  });

  it('accepts base64 span ids (protobuf bytes) and numeric intValue', () => {
    const r = otlpFormat.convert(
      span([str('gen_ai.request.model', 'm'), int('gen_ai.usage.output_tokens', 7)], {
        traceId: 'W47/95gDgQPSabYzgT/GDA==',
        spanId: '7uGbfsPBsXQ=',
      }),
    );
    expect(r.candidates[0]?.value).toMatchObject({
      id: '5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174',
      usage: { output_tokens: 7 },
    });
  });

  it('names the attribute, the expected and the found type', () => {
    const r = otlpFormat.convert(
      span([
        str('gen_ai.request.model', 'm'),
        { key: 'gen_ai.request.max_tokens', value: { doubleValue: 1.5 } },
      ]),
    );
    expect(r.problems[0]).toMatchObject({
      field: 'gen_ai.request.max_tokens',
      expected: 'intValue',
      found: 'doubleValue number 1.5',
    });
    expect(r.problems[0]?.path).toBe('resourceSpans[0].scopeSpans[0].spans[0]');
  });

  it('rejects an unparseable gen_ai.input.messages with the JSON error', () => {
    const r = otlpFormat.convert(
      span([str('gen_ai.request.model', 'm'), str('gen_ai.input.messages', '[{"role":')]),
    );
    expect(r.problems[0]?.field).toBe('gen_ai.input.messages');
    expect(r.problems[0]?.reason).toMatch(/expected JSON text, found unparseable string/);
  });

  it('rejects a message part without a type', () => {
    const r = otlpFormat.convert(
      span([
        str('gen_ai.request.model', 'm'),
        str('gen_ai.input.messages', '[{"role":"user","parts":[{"content":"hi"}]}]'),
      ]),
    );
    expect(r.problems[0]).toMatchObject({ field: 'gen_ai.input.messages[0].parts[0]' });
  });

  it('dead-letters a GenAI span with no account, naming the attributes it looked for', () => {
    const doc = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  startTimeUnixNano: '1773057600000000000',
                  attributes: [str('gen_ai.request.model', 'm')],
                },
              ],
            },
          ],
        },
      ],
    };
    const r = otlpFormat.convert(doc);
    expect(r.problems[0]?.reason).toMatch(
      /^no account: expected one of the attributes stillwatch.account, user.id/,
    );
  });

  it('counts non-GenAI and tool spans as skipped, not as records', () => {
    const r = otlpFormat.convert(span([str('http.request.method', 'GET')]));
    expect(r).toMatchObject({ candidates: [], problems: [], skipped: 1 });
    const t = otlpFormat.convert(span([str('gen_ai.operation.name', 'execute_tool')]));
    expect(t).toMatchObject({ candidates: [], problems: [], skipped: 1 });
  });

  it('maps a non-numeric error.type to status 500 and keeps it', () => {
    const r = otlpFormat.convert(span([str('gen_ai.request.model', 'm'), str('error.type', 'timeout')]));
    expect(r.candidates[0]?.value).toMatchObject({ status: 500, error_type: 'timeout' });
    const h = otlpFormat.convert(span([str('gen_ai.request.model', 'm'), str('error.type', '429')]));
    expect(h.candidates[0]?.value).toMatchObject({ status: 429 });
  });
});

/** Every attribute the mapping reads, given a value of the wrong type: the dead letter names it. */
const WRONG_ATTRS: [key: string, value: object][] = [
  ['gen_ai.request.model', { intValue: '4' }],
  ['gen_ai.response.model', { boolValue: true }],
  ['gen_ai.provider.name', { intValue: '1' }],
  ['gen_ai.system', { doubleValue: 1.5 }],
  ['gen_ai.operation.name', { arrayValue: { values: [] } }],
  ['gen_ai.usage.input_tokens', { stringValue: '10' }],
  ['gen_ai.usage.prompt_tokens', { doubleValue: 1.5 }],
  ['gen_ai.usage.output_tokens', { boolValue: false }],
  ['gen_ai.usage.completion_tokens', { stringValue: 'x' }],
  ['gen_ai.usage.reasoning.output_tokens', { stringValue: '1' }],
  ['gen_ai.usage.cache_read.input_tokens', { stringValue: '1' }],
  ['gen_ai.request.temperature', { stringValue: '0.7' }],
  ['gen_ai.request.top_p', { boolValue: true }],
  ['gen_ai.request.max_tokens', { doubleValue: 1.5 }],
  ['gen_ai.request.choice.count', { stringValue: '2' }],
  ['gen_ai.request.seed', { stringValue: '7' }],
  ['gen_ai.response.finish_reasons', { intValue: '1' }],
  ['gen_ai.input.messages', { intValue: '1' }],
  ['gen_ai.output.messages', { kvlistValue: { values: [] } }],
  ['gen_ai.system_instructions', { intValue: '1' }],
  ['user_agent.original', { intValue: '1' }],
  ['client.address', { boolValue: true }],
  ['url.path', { intValue: '1' }],
  ['http.response.status_code', { stringValue: '200' }],
  ['error.type', { doubleValue: 1.5 }],
  ['stillwatch.account', { boolValue: true }],
  ['gen_ai.conversation.id', { kvlistValue: { values: [] } }],
  ['gen_ai.usage.input_tokens', { intValue: '12x' }],
  ['gen_ai.request.temperature', { doubleValue: true }],
];

describe('otlp format: a wrong type in every attribute it reads', () => {
  it.each(WRONG_ATTRS)('%s ← %j', (key, value) => {
    const attrs = [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'm' } },
      { key: 'user.id', value: { stringValue: 'acct' } },
      // The deprecated or fallback name is read only when the preferred one is absent.
    ].filter((a) => a.key !== key && !(key === 'gen_ai.response.model' && a.key === 'gen_ai.request.model'));
    const doc = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  startTimeUnixNano: '1773057600000000000',
                  attributes: [{ key, value }, ...attrs],
                },
              ],
            },
          ],
        },
      ],
    };
    const r = otlpFormat.convert(doc);
    expect(r.candidates).toEqual([]);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0]!;
    expect(p.field === key || p.field?.startsWith(`${key}[`) || p.field?.startsWith(`${key}.`)).toBe(true);
    expect(p.reason).toMatch(/expected .+, found .+/);
    expect(p.path).toBe('resourceSpans[0].scopeSpans[0].spans[0]');
  });
});
