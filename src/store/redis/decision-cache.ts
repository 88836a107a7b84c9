import type {
  AllowlistEntry,
  DecisionCache,
  DecisionCacheHealth,
  DecisionSnapshot,
} from '../../ports/index.js';
import { openRedis, redactRedisUrl, tryConnect } from './client.js';
import { applyField, emptyState, type SnapshotState } from './entries.js';
import type { RedisEventSink } from './events.js';
import { HASH_KINDS, redisKeys, scriptKeys, type HashKind } from './keys.js';
import { readHash } from './scan.js';

/** The in-process index lookups are answered from (the gateway's memory cache fits). */
export interface DecisionMirror extends DecisionCache {
  replace(snapshot: DecisionSnapshot): void;
}

export interface RedisDecisionCacheOptions {
  url: string;
  namespace: string;
  mirror: DecisionMirror;
  /** Unhealthy (fail open/closed applies) after Redis has been unreachable this long (default 60 s). */
  maxStalenessMs?: number;
  /** Poll for changes this often, besides pub/sub notifications (default 1 s). */
  refreshMs?: number;
  /** Allowlist entries from the policy file, added to Redis's. */
  extraAllowlist?: readonly AllowlistEntry[];
  /** Wait this long after a notification before reading, so a burst of writes is read (and indexed) once (default 25 ms). */
  notifyDelayMs?: number;
  /** More changed fields than this since the version held: reload whole instead (default 20,000). */
  maxIncrementalFields?: number;
  now?: () => number;
  onEvent?: RedisEventSink;
}

export interface RedisDecisionCache extends DecisionCache {
  /** Connects and loads once; resolves true if decisions were loaded (false: Redis down or empty, retried in the background). */
  start(): Promise<boolean>;
  /** Catches up with Redis now (never rejects; failures show in `health`). */
  refresh(): Promise<void>;
  /** Epoch and version of the snapshot held. */
  position(): { epoch: string | null; version: number };
  close(): Promise<void>;
}

class NothingPublished extends Error {
  override name = 'NothingPublished';
}

/** A full snapshot: HSCAN every hash, then catch up from the log to one version (retried if the log moved on too far). */
async function loadWhole(
  redis: ReturnType<typeof openRedis>,
  keys: ReturnType<typeof redisKeys>,
  maxFields: number,
  onInvalid: (kind: HashKind, field: string) => void,
): Promise<{ state: SnapshotState; epoch: string; version: number }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [v, e] = await redis.mget(keys.version, keys.epoch);
    if (v === null || v === undefined || e === null || e === undefined)
      throw new NothingPublished('no decisions published in this namespace yet');
    const state = emptyState();
    for (const kind of HASH_KINDS)
      for (const [field, value] of await readHash(redis, keys.hashes[kind]))
        if (!applyField(state, kind, field, value)) onInvalid(kind, field);
    // The scan is not atomic; replaying the fields changed since `v` (current values) makes it the snapshot at one version.
    const r = await redis.swChanges(...scriptKeys(keys), e, Number(v), maxFields);
    if (r[0] === 'same') return { state, epoch: e, version: Number(v) };
    if (r[0] === 'changes') {
      applyChanges(state, r, onInvalid);
      return { state, epoch: e, version: Number(r[2]) };
    }
  }
  throw new Error('Redis changed faster than a whole snapshot could be read; retrying');
}

/** Applies the field/value pairs of a CHANGES_SCRIPT reply. */
function applyChanges(
  state: SnapshotState,
  reply: Array<string | null>,
  onInvalid: (kind: HashKind, field: string) => void,
): void {
  for (let i = 3; i < reply.length; i += 2) {
    const tagged = reply[i];
    if (typeof tagged !== 'string') continue;
    const sep = tagged.indexOf(':');
    const kind = HASH_KINDS[Number(tagged.slice(0, sep)) - 1];
    if (kind === undefined) continue;
    const field = tagged.slice(sep + 1);
    if (!applyField(state, kind, field, reply[i + 1] ?? null)) onInvalid(kind, field);
  }
}

/**
 * The gateway's decision cache in the scale-out mode. Lookups are answered synchronously from
 * the in-process mirror; Redis is only read in the background: whole at start, then the fields
 * changed since the version held, on each pub/sub notification and on a timer. While Redis is
 * unreachable the last decisions keep being served; after `maxStalenessMs` without a successful
 * read, `health().ok` turns false and the gateway fails open or closed as configured. The
 * connection reconnects by itself.
 * @example
 * const cache = createRedisDecisionCache({ url, namespace: 'prod', mirror: createMemoryDecisionCache() });
 * await cache.start();
 */
export function createRedisDecisionCache(options: RedisDecisionCacheOptions): RedisDecisionCache {
  const keys = redisKeys(options.namespace);
  const now = options.now ?? Date.now;
  const maxStalenessMs = options.maxStalenessMs ?? 60_000;
  const maxFields = options.maxIncrementalFields ?? 20_000;
  const emit = options.onEvent ?? (() => undefined);
  const mirror = options.mirror;

  let state = emptyState();
  let epoch: string | null = null;
  let version = 0;
  let lastOkTs: number | null = null;
  let lastError: string | null = null;
  let unavailable = false;
  let closed = false;

  const fail = (message: string): void => {
    lastError = message;
    if (!unavailable)
      emit({ type: 'unavailable', role: 'cache', error: `${message} (${redactRedisUrl(options.url)})` });
    unavailable = true;
  };
  const onInvalid = (kind: HashKind, field: string): void => emit({ type: 'invalid-entry', kind, field });
  // Connection errors repeat on every reconnect attempt; the failing reads report them once.
  let connectionError: string | null = null;
  const redis = openRedis({
    url: options.url,
    name: 'stillwatch-gateway',
    onError: (m) => (connectionError = m),
  });
  const sub = openRedis({ url: options.url, name: 'stillwatch-gateway-notify', queueWhileDown: true });

  function publishToMirror(): void {
    mirror.replace({
      decisions: [...state.decision.values()],
      allowlist: [...state.allowlist.values(), ...(options.extraAllowlist ?? [])],
      campaignMembers: Object.fromEntries(state.campaign),
      accountOrgs: Object.fromEntries(state.org),
      loadedTs: now(),
    });
  }

  async function reloadWhole(): Promise<void> {
    const started = now();
    const loaded = await loadWhole(redis, keys, maxFields, onInvalid);
    state = loaded.state;
    epoch = loaded.epoch;
    version = loaded.version;
    publishToMirror();
    emit({ type: 'loaded', version, decisions: state.decision.size, ms: now() - started });
  }

  async function catchUp(): Promise<void> {
    if (redis.status !== 'ready')
      throw new Error(connectionError ?? `not connected to Redis (${redis.status})`);
    if (epoch === null) return reloadWhole();
    const r = await redis.swChanges(...scriptKeys(keys), epoch, version, maxFields);
    const status = r[0];
    if (status === 'same') return;
    if (status === 'changes') {
      applyChanges(state, r, onInvalid);
      version = Number(r[2]);
      publishToMirror();
      return;
    }
    // Redis restarted empty: keep the last decisions until a publisher has written them again.
    if (status === 'empty')
      throw new NothingPublished(
        'Redis holds no decisions (restarted empty?); serving the last ones until a publisher resyncs',
      );
    // Another epoch, or too far behind the log.
    return reloadWhole();
  }

  let inflight: Promise<void> | null = null;
  let again = false;
  function refresh(): Promise<void> {
    if (closed) return Promise.resolve();
    // One read at a time; a notification arriving meanwhile means one more pass, not a queue of them.
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = (async () => {
      try {
        do {
          again = false;
          try {
            await catchUp();
            lastOkTs = now();
            lastError = null;
            if (unavailable) emit({ type: 'recovered', role: 'cache' });
            unavailable = false;
          } catch (err) {
            fail((err as Error).message);
          }
        } while (again && !closed);
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  // Rebuilding the mirror is O(decisions); a publisher writing 100 batches in a row should cost one rebuild, not 100.
  let notified: NodeJS.Timeout | undefined;
  sub.on('message', () => {
    notified ??= setTimeout(() => {
      notified = undefined;
      void refresh();
    }, options.notifyDelayMs ?? 25);
  });
  const timer = setInterval(() => {
    if (redis.status === 'wait') void tryConnect(redis);
    void refresh();
  }, options.refreshMs ?? 1_000);
  timer.unref();

  function health(nowTs: number): DecisionCacheHealth {
    if (lastOkTs === null)
      return { ok: false, updatedTs: null, error: lastError ?? 'decisions not loaded from Redis yet' };
    return { ok: nowTs - lastOkTs <= maxStalenessMs, updatedTs: lastOkTs, error: lastError };
  }

  return {
    kind: 'redis',
    lookup: (caller, nowTs) => mirror.lookup(caller, nowTs),
    health,
    async start() {
      sub.subscribe(keys.channel).catch(() => undefined);
      if (await tryConnect(redis)) await refresh();
      return epoch !== null;
    },
    refresh,
    position: () => ({ epoch, version }),
    async close() {
      closed = true;
      clearInterval(timer);
      clearTimeout(notified);
      await inflight?.catch(() => undefined);
      redis.disconnect();
      sub.disconnect();
    },
  };
}
