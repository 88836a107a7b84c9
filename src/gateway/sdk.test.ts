import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../domain/index.js';
import { REASONING, startMockUpstream, type MockUpstream } from '../../test/mock-upstream/index.js';
import { createKeyResolver, createMemoryDecisionCache, createMemoryEventSink, hashApiKey, startGateway, type MemoryDecisionCache, type MemoryEventSink, type RunningGateway } from './index.js';

const NOW = Date.now();
function decision(id: string, account: string, action: Decision['action'], params: Decision['params'] = {}): Decision {
  return { id, target: { kind: 'account', account }, action, reasons: [`test ${action}`], source: 'test', created_ts: NOW, expires_ts: NOW + 3_600_000, params, status: 'active' };
}

const KEYS = ['allow', 'block', 'throttle', 'degrade', 'summarise', 'challenge'];
let upstream: MockUpstream;
let gateway: RunningGateway;
let cache: MemoryDecisionCache;
let sink: MemoryEventSink;

function client(name: string, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ apiKey: `sk-test-${name}`, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: headers });
}

/** Exchanges are recorded just after their response is written, so tests wait for them. */
async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  upstream = await startMockUpstream();
  cache = createMemoryDecisionCache();
  sink = createMemoryEventSink();
  const keys = createKeyResolver({ keys: KEYS.map((k) => ({ key_sha256: hashApiKey(`sk-test-${k}`), account: `acct-${k}` })) });
  gateway = await startGateway({ upstream: upstream.url, keys, cache, sink, appealUrl: 'https://example.com/appeal' });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  cache.replace({
    decisions: [
      decision('d-block', 'acct-block', 'block'),
      decision('d-throttle', 'acct-throttle', 'throttle', { rpm: 2 }),
      decision('d-degrade', 'acct-degrade', 'degrade', { reasoning: 'strip', logprobs: false, max_tokens: 64 }),
      decision('d-sum', 'acct-summarise', 'degrade', { reasoning: 'summarise', max_reasoning_chars: 20, logprobs: true }),
      decision('d-chal', 'acct-challenge', 'challenge'),
    ],
    allowlist: [],
    campaignMembers: {},
    loadedTs: Date.now(),
  });
  sink.events.length = 0;
  upstream.requests.length = 0;
});

const ask = { model: 'mock-model', messages: [{ role: 'user' as const, content: 'What is six times seven?' }] };

describe('gateway with the openai SDK: allow', () => {
  it('passes a chat completion through unchanged and records the exchange', async () => {
    const r = await client('allow').chat.completions.create(ask);
    expect(r.choices[0]?.message.content).toContain('Mock answer to "What is six times seven?"');
    expect((r.choices[0]?.message as unknown as Record<string, unknown>)['reasoning_content']).toBe(REASONING);
    await waitFor(() => sink.events.length === 1);
    const ev = sink.events[0] as Record<string, unknown>;
    expect(ev).toMatchObject({ account: 'acct-allow', model: 'mock-model', status: 200, endpoint: '/v1/chat/completions', finish_reason: 'stop' });
    expect(ev['messages']).toEqual(ask.messages);
    expect(ev['usage']).toMatchObject({ reasoning_tokens: Math.ceil(REASONING.length / 4) });
    expect(JSON.stringify(ev)).not.toContain('sk-test-allow');
  });

  it('streams a chat completion and records it when the stream ends', async () => {
    const stream = await client('allow').chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('The result is 42');
    await waitFor(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ output: text, status: 200, gateway: { outcome: 'ok' } });
  });

  it('streams a Responses API call through the SDK accumulator', async () => {
    const final = await client('allow').responses.stream({ model: 'mock-model', input: 'hello there' }).finalResponse();
    expect(final.output_text).toContain('Mock answer to "hello there"');
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    await waitFor(() => sink.events.length === 1);
  });

  it('forwards an allowed request body byte for byte', async () => {
    const body = '{ "model" : "mock-model",\n  "messages": [ { "role": "user", "content": "spaced   out" } ] }';
    const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-test-allow', 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    await waitFor(() => sink.events.length === 1);
  });

  it('passes other paths through unchanged', async () => {
    const models = await client('allow').models.list();
    expect(models.data[0]?.id).toBe('mock-model');
  });
});

describe('gateway with the openai SDK: block, challenge and throttle', () => {
  it('refuses a blocked account with an OpenAI-format 403 and never calls upstream', async () => {
    const err = await client('block').chat.completions.create(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('access_denied_by_policy');
    expect((err as Error).message).toContain('https://example.com/appeal');
    expect(upstream.requests).toHaveLength(0);
    await waitFor(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ status: 403, gateway: { action: 'block', outcome: 'refused', decisions: ['d-block'] } });
  });

  it('asks a challenged account for step-up verification', async () => {
    const err = await client('challenge').chat.completions.create(ask).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('verification_required');
    await waitFor(() => sink.events.length === 1);
  });

  it('throttles with 429 and Retry-After once the request bucket is empty', async () => {
    const c = client('throttle');
    await c.chat.completions.create(ask);
    await c.chat.completions.create(ask);
    const err = await c.chat.completions.create(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const retryAfter = Number((err as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    await waitFor(() => sink.events.length === 3);
  });
});

describe('gateway with the openai SDK: degrade', () => {
  it('strips reasoning and logprobs and caps max_tokens on a chat completion', async () => {
    const r = await client('degrade').chat.completions.create({ ...ask, logprobs: true, top_logprobs: 3, max_tokens: 4000 });
    const msg = r.choices[0]?.message as unknown as Record<string, unknown>;
    expect(msg['reasoning_content']).toBeUndefined();
    expect(msg['content']).toContain('The result is 42');
    expect(r.choices[0]?.logprobs).toBeNull();
    const sent = upstream.requests[0]?.body ?? {};
    expect(sent).toMatchObject({ max_tokens: 64, logprobs: false });
    expect(sent['top_logprobs']).toBeUndefined();
    await waitFor(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ params: { logprobs: true, max_tokens: 4000 }, gateway: { action: 'degrade' } });
  });

  it('strips reasoning from a chat stream as it flows', async () => {
    const stream = await client('degrade').chat.completions.create({ ...ask, stream: true, logprobs: true });
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
      expect(delta?.['reasoning_content']).toBeUndefined();
      expect(chunk.choices[0]?.logprobs ?? null).toBeNull();
      text += (delta?.['content'] as string | undefined) ?? '';
    }
    expect(text).toContain('The result is 42, with a short justification.');
    await waitFor(() => sink.events.length === 1);
  });

  it('summarises reasoning in a chat stream to the configured length', async () => {
    const stream = await client('summarise').chat.completions.create({ ...ask, stream: true });
    let reasoning = '';
    for await (const chunk of stream) reasoning += ((chunk.choices[0]?.delta as Record<string, unknown> | undefined)?.['reasoning_content'] as string | undefined) ?? '';
    expect(reasoning).toBe(`${REASONING.slice(0, 20)} […]`);
    await waitFor(() => sink.events.length === 1);
  });

  it('removes reasoning items from Responses, plain and streamed', async () => {
    const plain = await client('degrade').responses.create({ model: 'mock-model', input: 'hi', include: ['message.output_text.logprobs'] });
    expect(plain.output.map((o) => o.type)).toEqual(['message']);
    expect(upstream.requests[0]?.body?.['include']).toEqual([]);
    const streamed = await client('degrade').responses.stream({ model: 'mock-model', input: 'hi' }).finalResponse();
    expect(streamed.output.map((o) => o.type)).toEqual(['message']);
    expect(streamed.output_text).toContain('The result is 42');
    await waitFor(() => sink.events.length === 2);
  });
});

describe('gateway with the openai SDK: failures', () => {
  it('aborts the upstream and records the exchange once when the client disconnects mid-stream', async () => {
    const controller = new AbortController();
    const stream = await client('allow', { 'x-mock-chunk-delay-ms': '20' }).chat.completions.create({ ...ask, stream: true }, { signal: controller.signal });
    let chunks = 0;
    // The SDK may end the iteration quietly or throw an abort error; either way the client is gone.
    await (async () => {
      for await (const _ of stream) if (++chunks === 3) controller.abort();
    })().catch(() => undefined);
    expect(chunks).toBe(3);
    await waitFor(() => upstream.abortedStreams === 1 && upstream.openStreams === 0);
    await waitFor(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ status: 499, gateway: { outcome: 'client_disconnected' } });
  });

  it('passes upstream errors on with their status and body', async () => {
    const err = await client('allow', { 'x-mock-status': '503' }).chat.completions.create(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as Error).message).toContain('mock upstream error 503');
    await waitFor(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ status: 503, gateway: { outcome: 'upstream_error' } });
  });

  it('errors the client stream when the upstream breaks mid-stream', async () => {
    const stream = await client('allow', { 'x-mock-break-after': '5', 'x-mock-chunk-delay-ms': '2' }).chat.completions.create({ ...ask, stream: true });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toThrow(/upstream stream was interrupted/);
    await waitFor(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ gateway: { outcome: 'upstream_error' } });
  });

  it('reports the same interruption on a Responses stream', async () => {
    const stream = await client('allow', { 'x-mock-break-after': '6', 'x-mock-chunk-delay-ms': '2' }).responses.create({ model: 'mock-model', input: 'x', stream: true });
    const types: string[] = [];
    for await (const ev of stream) types.push(ev.type);
    expect(types).toHaveLength(7);
    expect(types.at(-1)).toBe('error');
    await waitFor(() => sink.events.length === 1);
  });

  it('answers 504 when the upstream sends no headers in time, and 502 when it cannot be reached', async () => {
    const keys = createKeyResolver({ keys: [{ key_sha256: hashApiKey('sk-test-allow'), account: 'acct-allow' }] });
    const slow = await startGateway({ upstream: upstream.url, keys, cache, sink, headersTimeoutMs: 100 });
    const dead = await startGateway({ upstream: 'http://127.0.0.1:9', keys, cache, sink });
    try {
      const c = new OpenAI({ apiKey: 'sk-test-allow', baseURL: `${slow.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-mock-delay-ms': '1000' } });
      const timeout = await c.chat.completions.create(ask).catch((e: unknown) => e);
      expect((timeout as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
      const d = new OpenAI({ apiKey: 'sk-test-allow', baseURL: `${dead.url}/v1`, maxRetries: 0 });
      const refused = await d.chat.completions.create(ask).catch((e: unknown) => e);
      expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_unreachable');
      await waitFor(() => sink.events.length === 2);
      expect(sink.events.map((e) => (e as unknown as { gateway: { outcome: string } }).gateway.outcome).sort()).toEqual(['upstream_timeout', 'upstream_unreachable']);
    } finally {
      await slow.close();
      await dead.close();
    }
  });
});
