import type { AccountQuery } from '../../ports/index.js';

const ORDER: Record<NonNullable<AccountQuery['sort']>, string> = {
  score: 'score DESC, account, end_user',
  exchanges: 'exchanges DESC, account, end_user',
  account: 'account, end_user',
};

/** Builds a parameterised WHERE clause ($1, $2, …); never interpolates caller values into SQL. */
export function accountsQuerySql(q: AccountQuery): { where: string; params: unknown[]; order: string } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.flagged !== undefined) clauses.push(`flagged = ${p(q.flagged)}`);
  if (q.campaign !== undefined) clauses.push(`campaign = ${p(q.campaign)}`);
  if (q.minScore !== undefined) clauses.push(`score >= ${p(q.minScore)}`);
  if (q.search !== undefined) {
    // strpos, not LIKE: search text is data, so % and _ in it match themselves.
    const s = p(q.search);
    clauses.push(`(strpos(account, ${s}) > 0 OR strpos(end_user, ${s}) > 0)`);
  }
  return {
    where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    params,
    order: ORDER[q.sort ?? 'score'],
  };
}
