import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign, Decision } from '../../domain/index.js';
import { createMemoryDecisionCache } from '../../gateway/index.js';
import type { Store } from '../../ports/index.js';
import { createMemoryStore } from '../memory/index.js';
import {
  createPublishingStore,
  createRedisDecisionCache,
  createRedisDecisionPublisher,
  decisionOp,
  redisKeys,
  type RedisDecisionCache,
  type RedisDecisionPublisher,
} from './index.js';
import { privateRedis } from '../../../test/support/private-redis.js';
import { openRedis } from './client.js';
import { writeBatch } from './write.js';

const URL = process.env['STILLWATCH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const run = randomBytes(4).toString('hex');
let n = 0;
const namespaces: string[] = [];
const freshNs = (): string => {
  const ns = `swtest-${run}-${n++}`;
  namespaces.push(ns);
  return ns;
};
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  const admin = new Redis(URL);
  for (const ns of namespaces) {
    const k = redisKeys(ns);
    await admin.del(k.version, k.epoch, k.log, ...Object.values(k.hashes));
  }
  admin.disconnect();
});

const NOW = Date.now();
const block = (id: string, account: string, over: Partial<Decision> = {}): Decision => ({
  id,
  target: { kind: 'account', account },
  action: 'block',
  reasons: ['test'],
  source: 'test',
  created_ts: NOW,
  expires_ts: NOW + 86_400_000,
  params: {},
  status: 'active',
  ...over,
});
const campaign = (id: string, accounts: string[]): Campaign => ({
  id,
  score: 0.9,
  accounts,
  size: accounts.length,
  first_seen_ts: 1,
  last_seen_ts: 2,
  first_flagged_ts: null,
  exchanges: 1,
  signals: {},
  edges: [],
  explanation: 'test',
});

async function publisherFor(ns: string, source: Store): Promise<RedisDecisionPublisher> {
  const p = createRedisDecisionPublisher({ url: URL, namespace: ns, source, retryMs: 100 });
  closers.push(() => p.close());
  await p.start();
  return p;
}

async function cacheFor(
  ns: string,
  over: { refreshMs?: number; maxIncrementalFields?: number } = {},
): Promise<RedisDecisionCache> {
  const c = createRedisDecisionCache({
    url: URL,
    namespace: ns,
    mirror: createMemoryDecisionCache(),
    refreshMs: over.refreshMs ?? 60_000,
    ...over,
  });
  closers.push(() => c.close());
  await c.start();
  return c;
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const actionsOf = (c: RedisDecisionCache, account: string): string[] =>
  c.lookup({ account }, Date.now()).decisions.map((d) => d.action);

describe('Redis decision cache', () => {
  it('loads decisions, campaign members and the allowlist a publisher synced from the source of truth', async () => {
    const ns = freshNs();
    const source = createMemoryStore();
    await source.putDecision(block('d1', 'bad'));
    await source.putDecision(block('d2', 'lifted', { status: 'overridden' }));
    await source.putDecision(block('d3', 'expired', { expires_ts: NOW - 1 }));
    await source.putDecision({ ...block('d4', ''), target: { kind: 'campaign', campaign: 'c1' } });
    await source.putCampaigns([campaign('c1', ['m1', 'm2'])]);
    await source.putAllowlist({
      id: 'al1',
      subject: 'account:friend',
      owner: 'o',
      reason: 'r',
      created_ts: NOW,
      expires_ts: NOW + 86_400_000,
    });
    await source.putDecision(block('d5', 'friend'));
    await publisherFor(ns, source);

    const cache = await cacheFor(ns);
    expect(cache.health(Date.now()).ok).toBe(true);
    expect(actionsOf(cache, 'bad')).toEqual(['block']);
    expect(actionsOf(cache, 'lifted')).toEqual([]);
    expect(actionsOf(cache, 'expired')).toEqual([]);
    expect(actionsOf(cache, 'm2')).toEqual(['block']);
    expect(cache.lookup({ account: 'friend' }, Date.now()).allowlisted?.id).toBe('al1');
    // Only live decisions are kept in Redis.
    const admin = new Redis(URL);
    expect((await admin.hkeys(redisKeys(ns).hashes.decision)).sort()).toEqual(['d1', 'd4', 'd5']);
    admin.disconnect();
  });

  it('applies a change on its pub/sub notification, without waiting for the timer', async () => {
    const ns = freshNs();
    const source = createMemoryStore();
    const publisher = await publisherFor(ns, source);
    const store = createPublishingStore(source, publisher);
    const cache = await cacheFor(ns, { refreshMs: 60_000 });
    expect(actionsOf(cache, 'late')).toEqual([]);

    await store.putDecision(block('late-1', 'late'));
    await until(() => actionsOf(cache, 'late').length === 1);
    await store.putDecision(block('late-1', 'late', { status: 'overridden' }));
    await until(() => actionsOf(cache, 'late').length === 0);
    await store.putAllowlist({
      id: 'al',
      subject: 'account:late',
      owner: 'o',
      reason: 'r',
      created_ts: NOW,
      expires_ts: NOW + 60_000,
    });
    await until(() => cache.lookup({ account: 'late' }, Date.now()).allowlisted !== null);
    await store.deleteAllowlist('al');
    await until(() => cache.lookup({ account: 'late' }, Date.now()).allowlisted === null);
    await store.putCampaigns([campaign('cx', ['late'])]);
    await store.putDecision({ ...block('cx-ban', ''), target: { kind: 'campaign', campaign: 'cx' } });
    await until(() => actionsOf(cache, 'late').length === 1);
    expect(cache.position().version).toBe(publisher.status().version);
  });

  it('holds 100k decisions: loaded whole at start, and a cache far behind reloads rather than replaying', async () => {
    const ns = freshNs();
    const publisher = await publisherFor(ns, createMemoryStore());
    const behind = await cacheFor(ns, { refreshMs: 60_000 });
    const N = 100_000;
    const ops = Array.from({ length: N }, (_, i) => decisionOp(block(`big-${i}`, `acct-${i}`), NOW));
    let t = performance.now();
    publisher.enqueue(ops);
    await publisher.flush();
    const publishMs = performance.now() - t;

    t = performance.now();
    const fresh = await cacheFor(ns);
    const loadMs = performance.now() - t;
    expect(actionsOf(fresh, 'acct-99999')).toEqual(['block']);
    expect(actionsOf(fresh, 'acct-100000')).toEqual([]);

    await until(() => actionsOf(behind, 'acct-12345').length === 1, 20_000);
    expect(behind.position()).toEqual(fresh.position());
    // Recorded for docs/SCALING.md; loose bounds, this machine is shared.
    console.log(`100k decisions: publish ${publishMs.toFixed(0)} ms, whole load ${loadMs.toFixed(0)} ms`);
    expect(loadMs).toBeLessThan(20_000);
  });

  it('keeps serving when Redis is emptied, and reloads the new epoch once the publisher resyncs', async () => {
    const ns = freshNs();
    const source = createMemoryStore();
    await source.putDecision(block('e1', 'kept'));
    const publisher = await publisherFor(ns, source);
    const cache = await cacheFor(ns);
    const before = cache.position();
    const admin = new Redis(URL);
    const k = redisKeys(ns);
    await admin.del(k.version, k.epoch, k.log, ...Object.values(k.hashes));
    await cache.refresh();
    expect(actionsOf(cache, 'kept')).toEqual(['block']);
    expect(cache.health(Date.now()).error).toMatch(/no decisions/);
    expect(cache.health(Date.now()).ok).toBe(true);

    // A field in Redis that the source does not hold is removed by the resync.
    await admin.hset(k.hashes.decision, 'stray', JSON.stringify(block('stray', 'x')));
    expect(await publisher.resync()).toBe(true);
    await cache.refresh();
    expect(cache.position().epoch).not.toBe(before.epoch);
    expect(cache.health(Date.now()).error).toBeNull();
    expect(actionsOf(cache, 'kept')).toEqual(['block']);
    expect(await admin.hkeys(k.hashes.decision)).toEqual(['e1']);
    admin.disconnect();
  });

  it('skips a guarded change when the field moved on since it was compared (a resync never undoes a newer live write)', async () => {
    const ns = freshNs();
    const k = redisKeys(ns);
    const redis = openRedis({ url: URL });
    await redis.connect();
    try {
      const opts = { logMaxLen: 100 };
      await writeBatch(redis, k, [{ kind: 'decision', field: 'x', value: 'live-v2' }], opts);
      // Compared while the field held v1 (or nothing): both guards fail, nothing is written or logged.
      const stale = await writeBatch(
        redis,
        k,
        [
          { kind: 'decision', field: 'x', value: 'from-resync', expect: 'live-v1' },
          { kind: 'decision', field: 'x', value: null, expect: null },
        ],
        opts,
      );
      expect(stale.changed).toBe(0);
      expect(await redis.hget(k.hashes.decision, 'x')).toBe('live-v2');
      const fresh = await writeBatch(
        redis,
        k,
        [{ kind: 'decision', field: 'x', value: 'v3', expect: 'live-v2' }],
        opts,
      );
      expect(fresh).toEqual({ version: stale.version + 1, changed: 1 });
      expect(await redis.hget(k.hashes.decision, 'x')).toBe('v3');
    } finally {
      redis.disconnect();
    }
  });

  it('skips values it cannot parse instead of trusting them', async () => {
    const ns = freshNs();
    const source = createMemoryStore();
    await source.putDecision(block('ok', 'a'));
    await publisherFor(ns, source);
    const admin = new Redis(URL);
    await admin.hset(redisKeys(ns).hashes.decision, 'junk', '{"id":1}');
    admin.disconnect();
    const cache = await cacheFor(ns);
    expect(actionsOf(cache, 'a')).toEqual(['block']);
    expect(cache.health(Date.now()).ok).toBe(true);
  });

  it('starts while Redis is down (unhealthy), and connects and loads by itself once Redis and a publisher appear', async () => {
    const server = await privateRedis();
    closers.push(() => server.kill());
    const ns = freshNs();
    const cache = createRedisDecisionCache({
      url: server.url,
      namespace: ns,
      mirror: createMemoryDecisionCache(),
      refreshMs: 100,
    });
    closers.push(() => cache.close());
    expect(await cache.start()).toBe(false);
    expect(cache.health(Date.now()).ok).toBe(false);

    await server.start();
    const source = createMemoryStore();
    await source.putDecision(block('late-start', 'acct-late'));
    const publisher = createRedisDecisionPublisher({ url: server.url, namespace: ns, source, retryMs: 100 });
    closers.push(() => publisher.close());
    await publisher.start();
    await until(() => actionsOf(cache, 'acct-late').length === 1);
    expect(cache.health(Date.now())).toMatchObject({ ok: true, error: null });
  });

  it('is unhealthy, not empty-and-healthy, when Redis was never reachable', async () => {
    const cache = createRedisDecisionCache({
      url: 'redis://127.0.0.1:1',
      namespace: freshNs(),
      mirror: createMemoryDecisionCache(),
    });
    closers.push(() => cache.close());
    expect(await cache.start()).toBe(false);
    expect(cache.health(Date.now()).ok).toBe(false);
  });
});
