import { Hono } from 'hono';
import { z } from 'zod';
import type { ActivityBucket, Store } from '../../ports/index.js';
import { permissionsOf, requireConsolePermission } from '../console-access.js';
import type { ApiEnv } from '../context.js';
import { campaignSummary, CampaignSummary } from './campaigns.js';

const Bucket = z.object({ ts: z.number(), first_seen: z.number().int(), flagged: z.number().int(), exchanges: z.number().int() });
export const Overview = z.object({
  accounts: z.number().int(),
  flagged: z.number().int(),
  recommended: z.record(z.string(), z.number().int()),
  bucket_ms: z.number().int(),
  activity: z.array(Bucket),
  top_campaigns: z.array(CampaignSummary),
  campaigns_total: z.number().int(),
  decisions: z.record(z.string(), z.number().int()),
  appeals_pending: z.number().int(),
});
export type Overview = z.infer<typeof Overview>;
export const Me = z.object({ name: z.string(), role: z.string(), permissions: z.array(z.string()) });

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Hourly buckets, or daily ones when hourly would draw more than a week of bars. */
function rebucket(hourly: ActivityBucket[]): { bucketMs: number; buckets: ActivityBucket[] } {
  if (hourly.length <= 168) return { bucketMs: HOUR, buckets: hourly };
  const m = new Map<number, ActivityBucket>();
  for (const b of hourly) {
    const k = Math.floor(b.ts / DAY) * DAY;
    const d = m.get(k) ?? { ts: k, first_seen: 0, flagged: 0, exchanges: 0 };
    d.first_seen += b.first_seen;
    d.flagged += b.flagged;
    d.exchanges += b.exchanges;
    m.set(k, d);
  }
  return { bucketMs: DAY, buckets: [...m.values()].sort((a, b) => a.ts - b.ts) };
}

export async function buildOverview(store: Store): Promise<Overview> {
  const [stats, hourly, campaigns, pending] = await Promise.all([store.accountStats(), store.accountActivity(HOUR), store.listCampaigns({ limit: 5 }), store.listAppeals({ status: 'pending', limit: 1 })]);
  const decisions: Record<string, number> = {};
  for (const status of ['active', 'appealed', 'overridden', 'expired'] as const) decisions[status] = (await store.listDecisions({ status, limit: 1 })).total;
  const { bucketMs, buckets } = rebucket(hourly);
  return { accounts: stats.accounts, flagged: stats.flagged, recommended: stats.by_action, bucket_ms: bucketMs, activity: buckets, top_campaigns: campaigns.items.map(campaignSummary), campaigns_total: campaigns.total, decisions, appeals_pending: pending.total };
}

/**
 * The overview aggregates every account (about 0.3–1.5 s at 100,000 accounts on SQLite), so it
 * is served from a cache: the first request waits, later ones get the cached value at once and a
 * stale value triggers one background refresh (never more than one at a time).
 */
export function overviewRouter(options: { cacheMs?: number } = {}): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const cacheMs = options.cacheMs ?? 15_000;
  let cached: { at: number; value: Overview } | null = null;
  let refreshing: Promise<Overview> | null = null;
  const refresh = (store: Store, now: () => number): Promise<Overview> => {
    refreshing ??= buildOverview(store)
      .then((value) => {
        cached = { at: now(), value };
        return value;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };
  r.get('/overview', requireConsolePermission('overview:read'), async (c) => {
    const { store, now } = c.get('deps');
    if (!cached) return c.json(await refresh(store, now));
    if (now() - cached.at > cacheMs) refresh(store, now).catch(() => undefined);
    return c.json(cached.value);
  });
  r.get('/me', (c) => {
    const p = c.get('principal');
    return c.json({ name: p.name, role: p.role, permissions: permissionsOf(p.role) });
  });
  return r;
}
