import type { AllowlistEntry } from '../ports/index.js';
import type { Policy } from './schema.js';

/** Who is asking: the pieces an allowlist subject can name. */
export interface AllowlistCaller {
  account: string;
  endUser?: string | undefined;
  org?: string | null | undefined;
}

/** Allowlist subjects a caller matches, most specific first. */
export function allowlistKeys(caller: AllowlistCaller): string[] {
  const keys: string[] = [];
  if (caller.endUser !== undefined) keys.push(`end_user:${caller.account}/${caller.endUser}`);
  keys.push(`account:${caller.account}`);
  if (caller.org) keys.push(`org:${caller.org}`);
  return keys;
}

/** The policy file's allowlist as store-shaped entries (ids derived from the subject). */
export function policyAllowlist(policy: Policy): AllowlistEntry[] {
  return policy.allowlist.map((a) => ({
    id: `policy:${policy.name}:${a.subject}`,
    subject: a.subject,
    owner: a.owner,
    reason: a.reason,
    created_ts: 0,
    expires_ts: a.expires,
  }));
}

/**
 * The live allowlist entry covering a caller, if any. An entry for the account covers its
 * end users too; an expired entry covers nobody.
 */
export function findAllowlisted(entries: readonly AllowlistEntry[], caller: AllowlistCaller, nowTs: number): AllowlistEntry | null {
  const keys = allowlistKeys(caller);
  for (const key of keys) {
    for (const e of entries) if (e.subject === key && e.expires_ts > nowTs) return e;
  }
  return null;
}
