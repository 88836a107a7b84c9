import type { AllowlistEntry, Store } from '../ports/index.js';
import { allCampaigns, enforceableDecisions } from '../policy/index.js';
import type { MemoryDecisionCache } from './memory-decision-cache.js';

export interface StoreFeedOptions {
  /** How often the cache is reloaded from the store (default 5 s). */
  refreshMs?: number;
  /** Allowlist entries from the policy file, added to the store's. */
  extraAllowlist?: readonly AllowlistEntry[];
  now?: () => number;
  onError?: (err: Error) => void;
}

export interface StoreFeed {
  /** Loads once; rejects if the store cannot be read (so start-up fails loudly). */
  refresh(): Promise<number>;
  start(): void;
  stop(): void;
}

async function campaignMembers(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of await allCampaigns(store)) out[c.id] = c.accounts;
  return out;
}

/**
 * Feeds the in-process decision cache from a Store in the background. Requests never wait
 * on it: they read whatever snapshot is current; a failing refresh keeps the last good one
 * and, past the cache's staleness limit, makes the gateway fail open or closed.
 * @example
 * const feed = createStoreDecisionFeed(store, cache, { refreshMs: 5000 });
 * await feed.refresh(); feed.start();
 */
export function createStoreDecisionFeed(
  store: Store,
  cache: MemoryDecisionCache,
  options: StoreFeedOptions = {},
): StoreFeed {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function refresh(): Promise<number> {
    const ts = now();
    const [decisions, allowlist, members] = await Promise.all([
      enforceableDecisions(store),
      store.listAllowlist(ts),
      campaignMembers(store),
    ]);
    cache.replace({
      decisions,
      allowlist: [...allowlist, ...(options.extraAllowlist ?? [])],
      campaignMembers: members,
      loadedTs: ts,
    });
    return decisions.length;
  }

  async function tick(): Promise<void> {
    if (running) return;
    running = true;
    try {
      await refresh();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      cache.markFailed(e.message, now());
      options.onError?.(e);
    } finally {
      running = false;
    }
  }

  return {
    refresh,
    start() {
      timer ??= setInterval(() => void tick(), options.refreshMs ?? 5000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
