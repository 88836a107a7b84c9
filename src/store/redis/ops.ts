import type { Campaign, Decision } from '../../domain/index.js';
import type { AllowlistEntry } from '../../ports/index.js';
import type { HashKind } from './keys.js';

/**
 * One field change of the Redis snapshot. `expect` guards it: undefined applies it always,
 * null only if the field is absent, a string only if the field holds exactly that.
 */
export interface CacheOp {
  kind: HashKind;
  field: string;
  /** The new value, or null to remove the field. */
  value: string | null;
  expect?: string | null;
}

/** Only these reach gateways: the mirror ignores the rest, so Redis does not keep them. */
export function isLiveDecision(d: Decision, nowTs: number): boolean {
  return (
    (d.status === 'active' || d.status === 'appealed') && (d.expires_ts === null || d.expires_ts > nowTs)
  );
}

export function decisionOp(d: Decision, nowTs: number): CacheOp {
  return { kind: 'decision', field: d.id, value: isLiveDecision(d, nowTs) ? JSON.stringify(d) : null };
}

export function allowlistOp(e: AllowlistEntry, nowTs: number): CacheOp {
  return { kind: 'allowlist', field: e.id, value: e.expires_ts > nowTs ? JSON.stringify(e) : null };
}

export const allowlistRemovalOp = (id: string): CacheOp => ({ kind: 'allowlist', field: id, value: null });

/** Campaign-level decisions reach every member through this list. */
export function campaignOp(c: Campaign): CacheOp {
  return { kind: 'campaign', field: c.id, value: JSON.stringify(c.accounts) };
}

export const accountOrgOp = (account: string, org: string | null): CacheOp => ({
  kind: 'org',
  field: account,
  value: org,
});
