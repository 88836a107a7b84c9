import type { Store } from '../../ports/index.js';
import { allCampaigns, enforceableDecisions } from '../../policy/index.js';
import { openRedis, redactRedisUrl, tryConnect } from './client.js';
import type { RedisEventSink } from './events.js';
import { redisKeys, type HashKind } from './keys.js';
import { allowlistOp, campaignOp, decisionOp, type CacheOp } from './ops.js';
import { readHash } from './scan.js';
import { writeBatch } from './write.js';

export interface RedisDecisionPublisherOptions {
  url: string;
  namespace: string;
  /** The source of truth a resync reads (PostgreSQL in the scale-out mode). */
  source: Store;
  /** A full comparison with the source this often, to repair any drift (default 5 min; 0: only when owed). */
  resyncEveryMs?: number;
  /** How often an owed resync (Redis was down or restarted) is retried (default 1 s). */
  retryMs?: number;
  /** Changes per atomic write (default 1000). */
  batchOps?: number;
  /** Log entries kept for readers catching up (default 2000); a reader further behind reloads whole. */
  logMaxLen?: number;
  now?: () => number;
  onEvent?: RedisEventSink;
}

export interface RedisPublisherStatus {
  connected: boolean;
  /** True while Redis may lag the source and a resync is owed. */
  resyncOwed: boolean;
  version: number | null;
  lastError: string | null;
}

/**
 * Writes decision changes into Redis after they are committed to the source of truth. It never
 * fails the caller: when Redis is down the changes are dropped and a resync is owed, which runs
 * as soon as Redis is back (and periodically anyway), comparing Redis with the source and
 * writing the differences.
 */
export interface RedisDecisionPublisher {
  /** Queues changes already committed to the source; written in order, in batches, in the background. */
  enqueue(ops: readonly CacheOp[]): void;
  /** Resolves once everything queued so far is written or given up to a resync. */
  flush(): Promise<void>;
  /** Compares Redis with the source and writes the differences; resolves false when Redis or the source failed. */
  resync(): Promise<boolean>;
  /** Connects and runs the first resync; resolves even when Redis is down (it retries in the background). */
  start(): Promise<void>;
  status(): RedisPublisherStatus;
  close(): Promise<void>;
}

/** What Redis should hold, per hash, read from the source of truth. Orgs have no source there and are left alone. */
async function desiredState(store: Store, nowTs: number): Promise<Map<HashKind, Map<string, string>>> {
  const decisions = new Map<string, string>();
  for (const d of await enforceableDecisions(store)) {
    if (d.expires_ts !== null && d.expires_ts <= nowTs) continue;
    const op = decisionOp(d, nowTs);
    if (op.value !== null) decisions.set(op.field, op.value);
  }
  const allowlist = new Map<string, string>();
  for (const e of await store.listAllowlist(nowTs)) {
    const op = allowlistOp(e, nowTs);
    if (op.value !== null) allowlist.set(op.field, op.value);
  }
  const campaigns = new Map<string, string>();
  for (const c of await allCampaigns(store)) campaigns.set(c.id, campaignOp(c).value!);
  return new Map<HashKind, Map<string, string>>([
    ['decision', decisions],
    ['allowlist', allowlist],
    ['campaign', campaigns],
  ]);
}

/** Guarded by what was read, so a live write landing between the read and this write wins. */
function diff(kind: HashKind, desired: Map<string, string>, current: Map<string, string>): CacheOp[] {
  const ops: CacheOp[] = [];
  for (const [field, value] of desired) {
    const cur = current.get(field);
    if (cur !== value) ops.push({ kind, field, value, expect: cur ?? null });
  }
  for (const [field, cur] of current)
    if (!desired.has(field)) ops.push({ kind, field, value: null, expect: cur });
  return ops;
}

/**
 * @example
 * const publisher = createRedisDecisionPublisher({ url, namespace: 'prod', source: pgStore });
 * await publisher.start();
 * const store = createPublishingStore(pgStore, publisher); // writes reach Redis after PostgreSQL
 */
export function createRedisDecisionPublisher(options: RedisDecisionPublisherOptions): RedisDecisionPublisher {
  const keys = redisKeys(options.namespace);
  const now = options.now ?? Date.now;
  const batchOps = options.batchOps ?? 1000;
  const logMaxLen = options.logMaxLen ?? 2000;
  const resyncEveryMs = options.resyncEveryMs ?? 300_000;
  const emit = options.onEvent ?? (() => undefined);
  let lastError: string | null = null;
  let unavailable = false;
  const fail = (message: string): void => {
    lastError = message;
    if (!unavailable)
      emit({ type: 'unavailable', role: 'publisher', error: `${message} (${redactRedisUrl(options.url)})` });
    unavailable = true;
  };
  const redis = openRedis({ url: options.url, name: 'stillwatch-publisher', onError: fail });

  let queue: CacheOp[] = [];
  let flushQueued = false;
  // Until a first resync, Redis may lag the source.
  let resyncOwed = true;
  let version: number | null = null;
  let lastResyncTs = 0;
  let closed = false;
  // Flushes and resyncs run one at a time, in order, so changes reach Redis in commit order.
  let lane: Promise<unknown> = Promise.resolve();
  const inLane = <T>(job: () => Promise<T>): Promise<T> => {
    const p = lane.then(job);
    lane = p.catch(() => undefined);
    return p;
  };

  const succeeded = (v: number): void => {
    version = v;
    lastError = null;
    if (unavailable) emit({ type: 'recovered', role: 'publisher' });
    unavailable = false;
  };

  async function flushQueue(): Promise<void> {
    flushQueued = false;
    while (queue.length > 0) {
      // A resync is owed: it will read these changes from the source anyway.
      if (resyncOwed || redis.status !== 'ready') {
        queue = [];
        resyncOwed = true;
        return;
      }
      const batch = queue.splice(0, batchOps);
      try {
        succeeded((await writeBatch(redis, keys, batch, { logMaxLen })).version);
      } catch (err) {
        fail((err as Error).message);
        queue = [];
        resyncOwed = true;
      }
    }
  }

  async function resyncNow(): Promise<boolean> {
    if (closed) return false;
    if (redis.status !== 'ready') {
      resyncOwed = true;
      return false;
    }
    const started = now();
    try {
      const desired = await desiredState(options.source, started);
      const ops: CacheOp[] = [];
      for (const [kind, fields] of desired)
        ops.push(...diff(kind, fields, await readHash(redis, keys.hashes[kind])));
      let changed = 0;
      // The first write is forced so a fresh Redis gets a version (readers wait for one).
      for (let i = 0; i === 0 || i < ops.length; i += batchOps) {
        const r = await writeBatch(redis, keys, ops.slice(i, i + batchOps), { logMaxLen, force: i === 0 });
        changed += r.changed;
        succeeded(r.version);
      }
      resyncOwed = false;
      lastResyncTs = now();
      emit({ type: 'resynced', version: version ?? 0, changed, ms: lastResyncTs - started });
      return true;
    } catch (err) {
      fail((err as Error).message);
      resyncOwed = true;
      return false;
    }
  }

  // One resync queued at a time: the reconnect event and the retry timer often ask together,
  // and a resync of 100k decisions takes seconds.
  let pendingResync: Promise<boolean> | null = null;
  let resyncing = false;
  const resync = (): Promise<boolean> => {
    pendingResync ??= inLane(async () => {
      pendingResync = null;
      resyncing = true;
      try {
        return await resyncNow();
      } finally {
        resyncing = false;
      }
    });
    return pendingResync;
  };

  // Redis may come back empty (restarted without persistence): always compare after a reconnect.
  redis.on('close', () => (resyncOwed = true));
  redis.on('ready', () => void resync());
  const timer = setInterval(() => {
    if (redis.status === 'wait') void tryConnect(redis);
    if (redis.status !== 'ready' || resyncing || pendingResync) return;
    if (resyncOwed || (resyncEveryMs > 0 && now() - lastResyncTs >= resyncEveryMs)) void resync();
  }, options.retryMs ?? 1_000);
  timer.unref();

  return {
    enqueue(ops) {
      if (closed || ops.length === 0) return;
      for (const op of ops) queue.push(op);
      if (!flushQueued) {
        flushQueued = true;
        void inLane(flushQueue);
      }
    },
    flush: () => inLane(flushQueue),
    resync,
    async start() {
      // `ready` queues the first resync; wait for it when Redis is there, not when it is down.
      if (await tryConnect(redis)) await inLane(() => Promise.resolve());
    },
    status: () => ({ connected: redis.status === 'ready', resyncOwed, version, lastError }),
    async close() {
      clearInterval(timer);
      await inLane(flushQueue).catch(() => undefined);
      closed = true;
      redis.disconnect();
    },
  };
}
