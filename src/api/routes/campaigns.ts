import { Hono } from 'hono';
import { z } from 'zod';
import { Campaign } from '../../domain/index.js';
import { analyzeCampaign } from '../../report/index.js';
import { requireConsolePermission } from '../console-access.js';
import type { ApiEnv } from '../context.js';
import { query } from '../validate.js';
import { AccountListQuery, summarize } from './accounts.js';

export const CampaignListQuery = z.strictObject({
  min_score: z.coerce.number().min(0).max(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z.string().min(1).max(256).optional(),
});
/** A list row: no edges, no member list (a campaign can hold thousands). */
export const CampaignSummary = Campaign.omit({ edges: true, accounts: true }).extend({ link_kinds: z.array(z.string()) });
export const CampaignPage = z.object({ items: z.array(CampaignSummary), total: z.number().int(), next: z.string().nullable() });
export const CampaignMembersQuery = AccountListQuery.omit({ campaign: true });

export function campaignSummary(c: Campaign): z.infer<typeof CampaignSummary> {
  const { edges, accounts: _members, ...rest } = c;
  return { ...rest, link_kinds: [...new Set(edges.flatMap((e) => e.reasons.map((r) => r.kind)))] };
}

/** Campaigns: paged list; one campaign analysed (graph, timeline, volume, capabilities, evidence); its members paged. */
export function campaignsRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  r.get('/', requireConsolePermission('campaigns:read'), async (c) => {
    const q = query(c, CampaignListQuery);
    const page = await c.get('deps').store.listCampaigns({ minScore: q.min_score, limit: q.limit, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(campaignSummary), total: page.total, next: page.next });
  });
  r.get('/:id', requireConsolePermission('campaigns:read'), async (c) => {
    return c.json(await analyzeCampaign(c.get('deps').store, c.req.param('id')));
  });
  r.get('/:id/accounts', requireConsolePermission('campaigns:read'), async (c) => {
    const q = query(c, CampaignMembersQuery);
    const page = await c.get('deps').store.listAccounts({ campaign: c.req.param('id'), flagged: q.flagged, minScore: q.min_score, search: q.search, sort: q.sort, limit: q.limit, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(summarize), total: page.total, next: page.next });
  });
  return r;
}
