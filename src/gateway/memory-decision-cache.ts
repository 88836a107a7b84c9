import type { Decision } from '../domain/index.js';
import type { CallerKeys, DecisionCache, DecisionCacheHealth, DecisionLookup, DecisionSnapshot } from '../ports/index.js';
import type { AllowlistEntry } from '../ports/index.js';
import { allowlistKeys, targetKey } from '../policy/index.js';

const EMPTY: readonly Decision[] = Object.freeze([]);
const NONE: DecisionLookup = Object.freeze({ decisions: EMPTY, allowlisted: null });

export interface MemoryDecisionCacheOptions {
  /** After this long without a successful load the cache reports itself unhealthy (fail open/closed applies). */
  maxStalenessMs?: number;
  /** Health before the first load: a cache that starts empty on purpose (tests) is healthy. */
  healthyBeforeLoad?: boolean;
}

/** The in-process cache plus the methods its feeder uses. */
export interface MemoryDecisionCache extends DecisionCache {
  replace(snapshot: DecisionSnapshot): void;
  markFailed(error: string, nowTs: number): void;
  size(): number;
}

interface Index {
  byKey: Map<string, Decision[]>;
  /** IPv4 CIDR decisions grouped by prefix length: mask → network (as uint32) → decisions. */
  cidrs: Map<number, Map<number, Decision[]>>;
  campaignOf: Map<string, string[]>;
  allow: Map<string, AllowlistEntry>;
  orgOf: Map<string, string>;
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255 || p === '') return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildIndex(s: DecisionSnapshot): Index {
  const idx: Index = { byKey: new Map(), cidrs: new Map(), campaignOf: new Map(), allow: new Map(), orgOf: new Map() };
  for (const d of s.decisions) {
    if (d.status !== 'active' && d.status !== 'appealed') continue;
    if (d.target.kind === 'cidr') {
      const [net, bitsText] = d.target.value.split('/');
      const bits = Number(bitsText);
      const n = net === undefined ? null : ipv4ToInt(net);
      if (n === null || !Number.isInteger(bits) || bits < 0 || bits > 32) continue;
      let byNet = idx.cidrs.get(bits);
      if (!byNet) idx.cidrs.set(bits, (byNet = new Map<number, Decision[]>()));
      push(byNet, (n & maskOf(bits)) >>> 0, d);
      continue;
    }
    push(idx.byKey, targetKey(d.target), d);
  }
  for (const [campaign, accounts] of Object.entries(s.campaignMembers)) for (const a of accounts) push(idx.campaignOf, a, campaign);
  for (const e of s.allowlist) {
    const prev = idx.allow.get(e.subject);
    if (!prev || prev.expires_ts < e.expires_ts) idx.allow.set(e.subject, e);
  }
  for (const [a, org] of Object.entries(s.accountOrgs ?? {})) idx.orgOf.set(a, org);
  return idx;
}

function live(list: readonly Decision[] | undefined, nowTs: number, out: Decision[]): void {
  if (!list) return;
  for (const d of list) if (d.expires_ts === null || d.expires_ts > nowTs) out.push(d);
}

/**
 * The in-process decision cache: a snapshot indexed for O(1) lookups per key, swapped
 * atomically on each refresh so a request never sees half a load.
 * @example
 * const cache = createMemoryDecisionCache();
 * cache.replace({ decisions, allowlist: [], campaignMembers: {}, loadedTs: Date.now() });
 */
export function createMemoryDecisionCache(options: MemoryDecisionCacheOptions = {}): MemoryDecisionCache {
  const maxStalenessMs = options.maxStalenessMs ?? 60_000;
  let index: Index = buildIndex({ decisions: [], allowlist: [], campaignMembers: {}, loadedTs: 0 });
  let count = 0;
  let updatedTs: number | null = null;
  let lastError: string | null = null;
  let failingSince: number | null = null;

  // Callers come back from the same address; parsing it once per run of requests is enough.
  let lastIp: string | undefined;
  let lastIpInt: number | null = null;
  function ipv4Of(ip: string): number | null {
    if (ip !== lastIp) {
      lastIp = ip;
      lastIpInt = ipv4ToInt(ip);
    }
    return lastIpInt;
  }

  function lookup(caller: CallerKeys, nowTs: number): DecisionLookup {
    const idx = index;
    if (count === 0 && idx.allow.size === 0) return NONE;
    if (idx.allow.size > 0) {
      const org = caller.org ?? idx.orgOf.get(caller.account);
      for (const key of allowlistKeys({ account: caller.account, endUser: caller.endUser, org })) {
        const e = idx.allow.get(key);
        if (e && e.expires_ts > nowTs) return { decisions: EMPTY, allowlisted: e };
      }
    }
    if (count === 0) return NONE;
    const out: Decision[] = [];
    live(idx.byKey.get(`account:${caller.account}`), nowTs, out);
    if (caller.endUser !== undefined) live(idx.byKey.get(`end_user:${caller.account}/${caller.endUser}`), nowTs, out);
    const campaigns = idx.campaignOf.get(caller.account);
    if (campaigns) for (const c of campaigns) live(idx.byKey.get(`campaign:${c}`), nowTs, out);
    if (caller.ip !== undefined) {
      live(idx.byKey.get(`ip:${caller.ip}`), nowTs, out);
      const n = idx.cidrs.size > 0 ? ipv4Of(caller.ip) : null;
      if (n !== null) for (const [bits, byNet] of idx.cidrs) live(byNet.get((n & maskOf(bits)) >>> 0), nowTs, out);
    }
    if (caller.asn !== undefined) live(idx.byKey.get(`asn:${caller.asn}`), nowTs, out);
    if (caller.tlsFp !== undefined) live(idx.byKey.get(`tls_fp:${caller.tlsFp}`), nowTs, out);
    return out.length === 0 ? NONE : { decisions: out, allowlisted: null };
  }

  function health(nowTs: number): DecisionCacheHealth {
    if (updatedTs === null) return { ok: (options.healthyBeforeLoad ?? true) && lastError === null, updatedTs, error: lastError };
    const stale = failingSince !== null && nowTs - updatedTs > maxStalenessMs;
    return { ok: !stale, updatedTs, error: lastError };
  }

  return {
    kind: 'memory',
    lookup,
    health,
    replace(snapshot) {
      index = buildIndex(snapshot);
      count = index.byKey.size + index.cidrs.size;
      updatedTs = snapshot.loadedTs;
      lastError = null;
      failingSince = null;
    },
    markFailed(error, nowTs) {
      lastError = error;
      failingSince ??= nowTs;
    },
    size: () => count,
  };
}
