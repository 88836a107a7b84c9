import type { AccountQuery } from '../../ports/index.js';

const ORDER: Record<NonNullable<AccountQuery['sort']>, string> = {
  score: 'score DESC, account, end_user',
  exchanges: 'exchanges DESC, account, end_user',
  account: 'account, end_user',
};

/** Builds a parameterised WHERE clause; never interpolates caller values into SQL. */
export function accountsQuerySql(q: AccountQuery): {
  where: string;
  params: Record<string, unknown>;
  order: string;
} {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.flagged !== undefined) {
    clauses.push('flagged = @flagged');
    params['flagged'] = q.flagged ? 1 : 0;
  }
  if (q.campaign !== undefined) {
    clauses.push('campaign = @campaign');
    params['campaign'] = q.campaign;
  }
  if (q.minScore !== undefined) {
    clauses.push('score >= @minScore');
    params['minScore'] = q.minScore;
  }
  if (q.search !== undefined) {
    clauses.push('(instr(account, @search) > 0 OR instr(end_user, @search) > 0)');
    params['search'] = q.search;
  }
  return {
    where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    params,
    order: ORDER[q.sort ?? 'score'],
  };
}
