import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../domain/index.js';
import { createMemoryStore } from '../store/memory/index.js';
import {
  createKeyResolver,
  createMemoryDecisionCache,
  createMemoryEventSink,
  createStoreDecisionFeed,
  hashApiKey,
  parseKeyMap,
  resolveEnforcement,
  startGateway,
  upstreamPath,
  type RunningGateway,
  type UpstreamClient,
} from './index.js';

const NOW = 1_800_000_000_000;
const keys = createKeyResolver({ keys: [{ key_sha256: hashApiKey('sk-a'), account: 'acct-a', org: 'acme' }] });

function dec(id: string, target: Decision['target'], action: Decision['action'], extra: Partial<Decision> = {}): Decision {
  return { id, target, action, reasons: ['r'], source: 'test', created_ts: NOW, expires_ts: NOW + 1000, params: {}, status: 'active', ...extra };
}

/** An upstream client that must never be reached: these tests stop requests before the proxy. */
const unreachable: UpstreamClient = {
  send() {
    throw new Error('upstream must not be called');
  },
  close() {},
};

const running: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((g) => g.close()));
});

/** A gateway on a loopback port; `request` sends one request to it. */
function app(cache = createMemoryDecisionCache(), failMode: 'open' | 'closed' = 'open') {
  const sink = createMemoryEventSink();
  const started = startGateway({ upstream: 'http://127.0.0.1:9', keys, cache, sink, failMode, client: unreachable, now: () => NOW }).then((g) => {
    running.push(g);
    return g;
  });
  return { sink, app: { request: async (path: string, init: RequestInit) => fetch(`${(await started).url}${path}`, init) } };
}

const chat = (key: string | null, headers: Record<string, string> = {}, body = '{"model":"m","messages":[{"role":"user","content":"hi"}]}') => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  body,
});

describe('gateway identify and body validation', () => {
  it('refuses a missing or unknown API key with an OpenAI-format 401', async () => {
    const { app: a } = app();
    const missing = await a.request('/v1/chat/completions', chat(null));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: 'authentication_error', code: 'missing_api_key' } });
    expect((await a.request('/v1/chat/completions', chat('sk-nope'))).status).toBe(401);
  });

  it('rejects invalid JSON and bodies without messages with 400', async () => {
    const { app: a } = app();
    expect((await a.request('/v1/chat/completions', chat('sk-a', {}, '{not json'))).status).toBe(400);
    const res = await a.request('/v1/chat/completions', chat('sk-a', {}, '{"model":"m"}'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('messages');
  });
});

describe('gateway request reading', () => {
  it('lets a client leave mid-body without an error or a leaked request', async () => {
    const errors: Error[] = [];
    const gw = await startGateway({ upstream: 'http://127.0.0.1:9', keys, cache: createMemoryDecisionCache(), sink: createMemoryEventSink(), client: unreachable, onError: (e) => errors.push(e) });
    running.push(gw);
    const { port } = new URL(gw.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer sk-a\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model":');
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([]);
  });

  it('refuses a body over the limit with 413', async () => {
    const gw = await startGateway({ upstream: 'http://127.0.0.1:9', keys, cache: createMemoryDecisionCache(), sink: createMemoryEventSink(), client: unreachable, maxBodyBytes: 64 });
    running.push(gw);
    const res = await fetch(`${gw.url}/v1/chat/completions`, chat('sk-a', {}, JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(200) }] })));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'request_too_large' } });
  });
});

describe('gateway decisions', () => {
  it('blocks an end user of a reseller without blocking the reseller', async () => {
    const cache = createMemoryDecisionCache();
    cache.replace({ decisions: [dec('d1', { kind: 'end_user', account: 'acct-a', end_user: 'u9' }, 'block')], allowlist: [], campaignMembers: {}, loadedTs: NOW });
    const { app: a, sink } = app(cache);
    const res = await a.request('/v1/chat/completions', chat('sk-a', { 'x-stillwatch-end-user': 'u9' }));
    expect(res.status).toBe(403);
    await new Promise((r) => setTimeout(r, 20));
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({ account: 'acct-a', end_user: 'u9', status: 403 });
  });

  it('fails closed with 503 when the decision source is down, and open when configured so', async () => {
    const cache = createMemoryDecisionCache({ maxStalenessMs: 10 });
    cache.replace({ decisions: [], allowlist: [], campaignMembers: {}, loadedTs: NOW - 60_000 });
    cache.markFailed('database is locked', NOW - 30_000);
    const closed = await app(cache, 'closed').app.request('/v1/chat/completions', chat('sk-a'));
    expect(closed.status).toBe(503);
    expect(closed.headers.get('retry-after')).toBe('5');
    // Open: the request goes on to the (unreachable) upstream, which proves it was not refused.
    const open = await app(cache, 'open').app.request('/v1/chat/completions', chat('sk-a'));
    expect(open.status).toBe(500);
  });
});

describe('the in-process decision cache', () => {
  const cache = createMemoryDecisionCache();
  cache.replace({
    decisions: [
      dec('camp', { kind: 'campaign', campaign: 'c1' }, 'ban-campaign'),
      dec('net', { kind: 'cidr', value: '198.51.100.0/24' }, 'throttle', { params: { rpm: 5 } }),
      dec('fp', { kind: 'tls_fp', value: 'ja4_x' }, 'degrade', { params: { reasoning: 'summarise', max_tokens: 100 } }),
      dec('old', { kind: 'account', account: 'acct-b' }, 'block', { expires_ts: NOW - 1 }),
      dec('lifted', { kind: 'account', account: 'acct-c' }, 'block', { status: 'overridden' }),
    ],
    allowlist: [{ id: 'al', subject: 'org:trusted', owner: 'o', reason: 'r', created_ts: 0, expires_ts: NOW + 1 }],
    campaignMembers: { c1: ['acct-m'] },
    accountOrgs: { 'acct-t': 'trusted' },
    loadedTs: NOW,
  });

  it('reaches campaign members, CIDR ranges and fingerprints', () => {
    expect(cache.lookup({ account: 'acct-m' }, NOW).decisions.map((d) => d.id)).toEqual(['camp']);
    expect(cache.lookup({ account: 'new', ip: '198.51.100.77' }, NOW).decisions.map((d) => d.id)).toEqual(['net']);
    expect(cache.lookup({ account: 'new', ip: '198.51.101.1' }, NOW).decisions).toEqual([]);
    const e = resolveEnforcement(cache.lookup({ account: 'new', ip: '198.51.100.1', tlsFp: 'ja4_x' }, NOW));
    expect(e.throttles.map((t) => t.rpm)).toEqual([5]);
    expect(e.degrade).toMatchObject({ reasoning: 'summarise', maxTokens: 100, dropLogprobs: true });
  });

  it('ignores expired and overridden decisions and lets the allowlist win', () => {
    expect(cache.lookup({ account: 'acct-b' }, NOW).decisions).toEqual([]);
    expect(cache.lookup({ account: 'acct-c' }, NOW).decisions).toEqual([]);
    const allowed = cache.lookup({ account: 'acct-t', ip: '198.51.100.1' }, NOW);
    expect(allowed.allowlisted?.id).toBe('al');
    expect(resolveEnforcement(allowed).action).toBe('allow');
    expect(cache.lookup({ account: 'acct-t', ip: '198.51.100.1' }, NOW + 1).allowlisted).toBeNull();
  });
});

describe('feeding the cache from a store', () => {
  it('loads active and appealed decisions, allowlist and campaign members', async () => {
    const store = createMemoryStore();
    await store.putDecision(dec('a', { kind: 'account', account: 'x' }, 'block'));
    await store.putDecision(dec('b', { kind: 'account', account: 'y' }, 'block', { status: 'appealed' }));
    await store.putDecision(dec('c', { kind: 'account', account: 'z' }, 'block', { status: 'overridden' }));
    const cache = createMemoryDecisionCache();
    const feed = createStoreDecisionFeed(store, cache, { now: () => NOW });
    expect(await feed.refresh()).toBe(3 - 1);
    expect(cache.lookup({ account: 'y' }, NOW).decisions.map((d) => d.id)).toEqual(['b']);
    expect(cache.lookup({ account: 'z' }, NOW).decisions).toEqual([]);
    expect(cache.health(NOW).ok).toBe(true);
  });
});

describe('key maps', () => {
  it('accepts hashes and refuses raw keys with the field named', () => {
    const k = parseKeyMap(`keys:\n  - { key_sha256: "${hashApiKey('sk-z')}", account: acct-z, key_id: prod-1 }\n`, 'keys.yaml');
    expect(k.resolve('sk-z')).toEqual({ account: 'acct-z', org: undefined, keyId: 'prod-1' });
    expect(k.resolve('sk-y')).toBeNull();
    expect(() => parseKeyMap('keys:\n  - { key: sk-raw, account: a }\n', 'keys.yaml')).toThrow(/keys\.0/);
  });
});

describe('upstream paths', () => {
  it('joins base and request paths without doubling /v1', () => {
    expect(upstreamPath('/', '/v1/chat/completions', '')).toBe('/v1/chat/completions');
    expect(upstreamPath('/v1', '/v1/responses', '?x=1')).toBe('/v1/responses?x=1');
    expect(upstreamPath('/openai/v1/', '/v1/models', '')).toBe('/openai/v1/models');
    expect(upstreamPath('/proxy', '/v1/models', '')).toBe('/proxy/v1/models');
  });
});
