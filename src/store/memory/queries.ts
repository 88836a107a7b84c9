import type { AccountResult } from '../../domain/index.js';
import type { AccountQuery, AccountStats, ActivityBucket } from '../../ports/index.js';

export function matchesAccountQuery(a: AccountResult, q: AccountQuery): boolean {
  if (q.flagged !== undefined && a.flagged !== q.flagged) return false;
  if (q.campaign !== undefined && a.campaign !== q.campaign) return false;
  if (q.minScore !== undefined && a.score < q.minScore) return false;
  if (q.search !== undefined && !a.account.includes(q.search) && !(a.end_user ?? '').includes(q.search))
    return false;
  return true;
}

/** Same order as the SQL adapters: the sort key, then account and end user as tie-breakers. */
export function compareAccounts(sort: AccountQuery['sort']): (a: AccountResult, b: AccountResult) => number {
  const tie = (a: AccountResult, b: AccountResult): number =>
    a.account < b.account
      ? -1
      : a.account > b.account
        ? 1
        : (a.end_user ?? '') < (b.end_user ?? '')
          ? -1
          : (a.end_user ?? '') > (b.end_user ?? '')
            ? 1
            : 0;
  switch (sort ?? 'score') {
    case 'score':
      return (a, b) => b.score - a.score || tie(a, b);
    case 'exchanges':
      return (a, b) => b.exchanges - a.exchanges || tie(a, b);
    case 'account':
      return tie;
  }
}

/** Accounts first seen and first flagged per time bucket, oldest first, empty buckets omitted. */
export function activityOf(all: Iterable<AccountResult>, bucketMs: number): ActivityBucket[] {
  const buckets = new Map<number, ActivityBucket>();
  const at = (ts: number): ActivityBucket => {
    const start = Math.floor(ts / bucketMs) * bucketMs;
    let b = buckets.get(start);
    if (!b) buckets.set(start, (b = { ts: start, first_seen: 0, flagged: 0, exchanges: 0 }));
    return b;
  };
  for (const a of all) {
    const seen = at(a.first_seen_ts);
    seen.first_seen += 1;
    seen.exchanges += a.exchanges;
    if (a.flagged && a.first_flagged_ts !== null) at(a.first_flagged_ts).flagged += 1;
  }
  return [...buckets.values()].sort((x, y) => x.ts - y.ts);
}

export function statsOf(all: Iterable<AccountResult>): AccountStats {
  const stats: AccountStats = { accounts: 0, flagged: 0, by_action: {} };
  for (const a of all) {
    stats.accounts += 1;
    if (a.flagged) stats.flagged += 1;
    stats.by_action[a.action] = (stats.by_action[a.action] ?? 0) + 1;
  }
  return stats;
}
