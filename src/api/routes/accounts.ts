import { Hono } from 'hono';
import { z } from 'zod';
import { AccountResult } from '../../domain/index.js';
import { StillwatchError } from '../../domain/index.js';
import { requireConsolePermission } from '../console-access.js';
import type { ApiEnv } from '../context.js';
import { query } from '../validate.js';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const AccountListQuery = z.strictObject({
  flagged: bool.optional(),
  campaign: z.string().min(1).max(512).optional(),
  min_score: z.coerce.number().min(0).max(1).optional(),
  /** Substring of the account or end-user id; matched as data, never as a pattern. */
  search: z.string().min(1).max(256).optional(),
  sort: z.enum(['score', 'exchanges', 'account']).default('score'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(256).optional(),
});

/** A list row: the verdict without the evidence, so a page of 500 stays small. */
export const AccountSummary = AccountResult.omit({ reasons: true }).extend({
  detectors: z.array(z.object({ detector: z.string(), score: z.number() })),
});
export type AccountSummary = z.infer<typeof AccountSummary>;
export const AccountPage = z.object({ items: z.array(AccountSummary), total: z.number().int(), next: z.string().nullable() });

export const AccountDetailQuery = z.strictObject({ end_user: z.string().min(1).max(512).optional() });

export function summarize(a: AccountResult): AccountSummary {
  const { reasons, ...rest } = a;
  return { ...rest, detectors: reasons.map((r) => ({ detector: r.detector, score: r.score })) };
}

/** Accounts: server-side filtered, sorted and paged list; one account with its findings. */
export function accountsRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  r.get('/', requireConsolePermission('accounts:read'), async (c) => {
    const q = query(c, AccountListQuery);
    const page = await c.get('deps').store.listAccounts({ flagged: q.flagged, campaign: q.campaign, minScore: q.min_score, search: q.search, sort: q.sort, limit: q.limit, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(summarize), total: page.total, next: page.next });
  });
  r.get('/:account', requireConsolePermission('accounts:read'), async (c) => {
    const q = query(c, AccountDetailQuery);
    const a = await c.get('deps').store.getAccount(c.req.param('account'), q.end_user);
    if (!a) throw new StillwatchError('NOT_FOUND', `no account ${c.req.param('account')}`);
    return c.json(a);
  });
  return r;
}
