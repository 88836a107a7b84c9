import type { Decision } from '../domain/index.js';
import type { AllowlistEntry } from './store.js';

/**
 * Names of a decision cache's namespace (one deployment's keys in a shared cache) are config
 * values, kept to a safe alphabet so they can sit inside key names. Defined here, with the port,
 * so settings can be validated without loading a cache client.
 */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** What the gateway knows about a caller when it looks a decision up. */
export interface CallerKeys {
  account: string;
  endUser?: string | undefined;
  org?: string | undefined;
  ip?: string | undefined;
  /** "AS64500" form. */
  asn?: string | undefined;
  tlsFp?: string | undefined;
}

export interface DecisionLookup {
  /** Active, unexpired decisions whose target covers the caller (account, end user, campaign, infrastructure). */
  decisions: readonly Decision[];
  /** A live allowlist entry covering the caller; it wins over every decision. */
  allowlisted: AllowlistEntry | null;
}

export interface DecisionCacheHealth {
  /** False when the cache no longer reflects its source (refresh failing for too long). */
  ok: boolean;
  /** Event time of the last successful load, or null if never loaded. */
  updatedTs: number | null;
  error: string | null;
}

/**
 * The gateway's view of decisions. `lookup` is synchronous on purpose: a request never waits
 * on detection or on a network round trip. Adapters keep an in-process mirror and refresh
 * it in the background (from SQLite in embedded mode, from Redis in scale-out mode).
 */
export interface DecisionCache {
  readonly kind: string;
  lookup(caller: CallerKeys, nowTs: number): DecisionLookup;
  health(nowTs: number): DecisionCacheHealth;
}

/** Everything a cache is loaded from, in one consistent piece. */
export interface DecisionSnapshot {
  decisions: readonly Decision[];
  allowlist: readonly AllowlistEntry[];
  /** Campaign id → member accounts, so campaign-level decisions reach every member. */
  campaignMembers: Readonly<Record<string, readonly string[]>>;
  /** Account → org, for org-level allowlist entries. */
  accountOrgs?: Readonly<Record<string, string>>;
  loadedTs: number;
}
