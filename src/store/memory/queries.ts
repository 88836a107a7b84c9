import type { AccountResult } from '../../domain/index.js';
import type { AccountQuery } from '../../ports/index.js';

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
