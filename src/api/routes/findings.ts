import { Hono } from 'hono';
import { z } from 'zod';
import { Finding } from '../../domain/index.js';
import { StillwatchError } from '../../domain/index.js';
import { requireConsolePermission } from '../console-access.js';
import type { ApiEnv } from '../context.js';
import { query } from '../validate.js';

export const FindingsQuery = z.strictObject({
  account: z.string().min(1).max(512),
  end_user: z.string().min(1).max(512).optional(),
  detector: z.string().min(1).max(128).optional(),
});

/** A finding with each signal set against its baseline, ready to chart. */
export const FindingView = Finding.extend({
  chart: z.array(z.object({ signal: z.string(), value: z.number(), baseline: z.number().nullable(), unit: z.string().nullable(), over_baseline: z.boolean().nullable() })),
});
export const FindingsResponse = z.object({ account: z.string(), end_user: z.string().nullable(), findings: z.array(FindingView) });

export function findingView(f: Finding): z.infer<typeof FindingView> {
  return {
    ...f,
    chart: Object.entries(f.signals).map(([signal, s]) => ({ signal, value: s.value, baseline: s.baseline ?? null, unit: s.unit ?? null, over_baseline: s.baseline === undefined ? null : s.value >= s.baseline })),
  };
}

/** Findings of one account, strongest first, each signal with its baseline. */
export function findingsRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  r.get('/', requireConsolePermission('findings:read'), async (c) => {
    const q = query(c, FindingsQuery);
    const a = await c.get('deps').store.getAccount(q.account, q.end_user);
    if (!a) throw new StillwatchError('NOT_FOUND', `no account ${q.account}`);
    const findings = a.reasons.filter((f) => q.detector === undefined || f.detector === q.detector).sort((x, y) => y.score - x.score).map(findingView);
    return c.json({ account: a.account, end_user: a.end_user ?? null, findings });
  });
  return r;
}
