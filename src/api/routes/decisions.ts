import { Hono } from 'hono';
import { z } from 'zod';
import { Action, Decision, DecisionTarget } from '../../domain/index.js';
import { StillwatchError } from '../../domain/index.js';
import type { Appeal, Store } from '../../ports/index.js';
import { Duration } from '../../policy/index.js';
import { audit } from '../audit.js';
import { requirePermission } from '../auth.js';
import type { ApiEnv } from '../context.js';
import { explainDecision } from '../explain.js';
import { jsonBody, query } from '../validate.js';

const ListQuery = z.strictObject({
  account: z.string().min(1).optional(),
  status: Decision.shape.status.unwrap().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});

const Params = Decision.shape.params.unwrap();
const Reason = z.string().trim().min(3).max(2000);

const CreateBody = z.strictObject({
  target: DecisionTarget,
  action: Action,
  reason: Reason,
  params: Params.optional(),
  /** Every decision expires; "24h", "7d", … (default 24h, at most 90 days). */
  ttl: Duration.optional(),
});

const OverrideBody = z.strictObject({
  reason: Reason,
  /** Replace with this action (e.g. `throttle` instead of `block`); omit to lift the decision. */
  action: Action.optional(),
  params: Params.optional(),
  ttl: Duration.optional(),
});

const MAX_TTL_MS = 90 * 86_400_000;

export async function getDecisionOr404(store: Store, id: string): Promise<Decision> {
  const d = await store.getDecision(id);
  if (!d) throw new StillwatchError('NOT_FOUND', `no decision ${id}`);
  return d;
}

export async function appealsFor(store: Store, decisionId: string): Promise<Appeal[]> {
  const out: Appeal[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listAppeals({ limit: 500, cursor });
    out.push(...page.items.filter((a) => a.decision_id === decisionId));
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

function ttlOf(ttl: number | undefined): number {
  const ms = ttl ?? 86_400_000;
  if (ms > MAX_TTL_MS) throw new StillwatchError('INVALID_INPUT', 'ttl may be at most 90 days: decisions must be re-evaluated');
  return ms;
}

/** Decisions: list, explain, create by hand, override. */
export function decisionsRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();

  r.get('/', requirePermission('decisions:read'), async (c) => {
    const q = query(c, ListQuery);
    const page = await c.get('deps').store.listDecisions({ account: q.account, status: q.status, limit: q.limit, cursor: q.cursor ?? null });
    return c.json(page);
  });

  r.get('/:id', requirePermission('decisions:read'), async (c) => {
    const { store, now } = c.get('deps');
    const d = await getDecisionOr404(store, c.req.param('id'));
    const t = d.target;
    const account = t.kind === 'account' ? await store.getAccount(t.account) : t.kind === 'end_user' ? await store.getAccount(t.account, t.end_user) : null;
    const campaignId = t.kind === 'campaign' ? t.campaign : account?.campaign ?? null;
    const campaign = campaignId ? await store.getCampaign(campaignId) : null;
    return c.json(explainDecision(d, { account, campaign, appeals: await appealsFor(store, d.id), nowTs: now() }));
  });

  r.post('/', requirePermission('decisions:write'), async (c) => {
    const body = await jsonBody(c, CreateBody);
    const { store, now, newId } = c.get('deps');
    const ts = now();
    const p = c.get('principal');
    const d: Decision = { id: newId('dec'), target: body.target, action: body.action, reasons: [body.reason], source: `analyst:${p.name}`, created_ts: ts, expires_ts: ts + ttlOf(body.ttl), params: body.params ?? {}, status: 'active' };
    await store.putDecision(d);
    await audit(c, 'decision.create', d.id, { target: d.target, action: d.action, reason: body.reason, expires_ts: d.expires_ts });
    return c.json(d, 201);
  });

  r.post('/:id/override', requirePermission('decisions:write'), async (c) => {
    const body = await jsonBody(c, OverrideBody);
    const { store, now, newId } = c.get('deps');
    const original = await getDecisionOr404(store, c.req.param('id'));
    if (original.status === 'overridden') throw new StillwatchError('CONFLICT', `decision ${original.id} is already overridden`);
    const ts = now();
    const p = c.get('principal');
    await store.putDecision({ ...original, status: 'overridden' });
    let replacement: Decision | null = null;
    if (body.action !== undefined) {
      replacement = { id: newId('dec'), target: original.target, action: body.action, reasons: [`override of ${original.id} by ${p.name}: ${body.reason}`], source: `override:${p.name}`, created_ts: ts, expires_ts: ts + ttlOf(body.ttl), params: body.params ?? {}, status: 'active' };
      await store.putDecision(replacement);
    }
    await audit(c, 'decision.override', original.id, { from: original.action, to: body.action ?? null, reason: body.reason, replacement: replacement?.id ?? null });
    return c.json({ overridden: { ...original, status: 'overridden' }, replacement });
  });

  return r;
}
