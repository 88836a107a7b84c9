import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { StillwatchError } from '../../domain/index.js';
import type { Decision } from '../../domain/index.js';
import type { AllowlistEntry, Appeal, Store } from '../../ports/index.js';
import { audit } from '../audit.js';
import { requirePermission } from '../auth.js';
import type { ApiEnv } from '../context.js';
import { jsonBody, query } from '../validate.js';
import { appealsFor, getDecisionOr404 } from './decisions.js';

const Status = z.enum(['pending', 'upheld', 'overturned']);
const ListQuery = z.strictObject({
  status: Status.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});
const CreateBody = z.strictObject({
  decision_id: z.string().min(1),
  /** The appellant's own words, e.g. "we are a university running an eval sweep". */
  message: z.string().trim().min(1).max(4000),
  /** Required when the decision targets infrastructure rather than an account. */
  account: z.string().min(1).max(512).optional(),
});
const ResolveBody = z.strictObject({
  outcome: z.enum(['upheld', 'overturned']),
  reason: z.string().trim().min(3).max(2000),
});

function accountOf(d: Decision, given: string | undefined): string {
  if (d.target.kind === 'account' || d.target.kind === 'end_user') return d.target.account;
  if (!given) throw new StillwatchError('INVALID_INPUT', `decision ${d.id} targets ${d.target.kind}: say which account is appealing (account)`);
  return given;
}

async function allAppeals(store: Store): Promise<Appeal[]> {
  const out: Appeal[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listAppeals({ limit: 500, cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** How appeals are going: the path back for legitimate users, in numbers and outcomes. */
export function appealsReport(appeals: readonly Appeal[], nowTs: number) {
  const resolved = appeals.filter((a) => a.status !== 'pending' && a.resolved_ts !== null);
  const pending = appeals.filter((a) => a.status === 'pending');
  const overturned = resolved.filter((a) => a.status === 'overturned').length;
  return {
    total: appeals.length,
    pending: pending.length,
    upheld: resolved.length - overturned,
    overturned,
    overturn_rate: resolved.length > 0 ? overturned / resolved.length : null,
    median_resolution_ms: median(resolved.map((a) => (a.resolved_ts as number) - a.submitted_ts)),
    oldest_pending_age_ms: pending.length > 0 ? nowTs - Math.min(...pending.map((a) => a.submitted_ts)) : null,
    outcomes: resolved
      .sort((a, b) => (b.resolved_ts as number) - (a.resolved_ts as number))
      .slice(0, 100)
      .map((a) => ({ id: a.id, decision_id: a.decision_id, account: a.account, outcome: a.status, reason: a.resolution_reason, resolver: a.resolver, resolved_ts: a.resolved_ts })),
  };
}

const MAX_EXEMPTION_MS = 90 * 86_400_000;

/** Decisions aimed at the appellant alone, as opposed to shared targets (a campaign, an IP, a range, an ASN, a TLS fingerprint). */
const personal = (d: Decision): boolean => d.target.kind === 'account' || d.target.kind === 'end_user';

/**
 * An overturned appeal lifts every decision aimed at the appellant's account, not just the one
 * appealed. A decision on a shared target stays in force for everyone else: one member's
 * successful appeal must not reopen a campaign's accounts or a range's other users. The
 * appellant is taken out of its reach instead, by a bounded exemption (an allowlist entry owned
 * by the resolver, lasting as long as the decisions it answers would have, at most 90 days),
 * which also keeps campaign-wide decisions off the account until fresh evidence is evaluated.
 */
async function overturn(c: Context<ApiEnv>, appeal: Appeal, appealed: Decision | null): Promise<{ lifted: string[]; kept: string[]; exemption: AllowlistEntry }> {
  const { store, now, newId } = c.get('deps');
  const ts = now();
  const held = (await store.listDecisions({ account: appeal.account, limit: 500 })).items;
  const inForce = (d: Decision): boolean => d.status === 'active' || d.status === 'appealed';
  const lift = [...(appealed && personal(appealed) ? [appealed] : []), ...held.filter((d) => d.id !== appealed?.id && personal(d))].filter(inForce);
  for (const d of lift) await store.putDecision({ ...d, status: 'overridden' });
  const kept = appealed && !personal(appealed) && inForce(appealed) ? [appealed] : [];
  // Back in force for the others; its status no longer shows an appeal in progress.
  for (const d of kept) if (d.status === 'appealed') await store.putDecision({ ...d, status: 'active' });
  const answered = [...lift, ...kept];
  const until = Math.min(ts + MAX_EXEMPTION_MS, Math.max(ts + 86_400_000, ...answered.map((d) => d.expires_ts ?? ts + MAX_EXEMPTION_MS)));
  const exemption: AllowlistEntry = { id: newId('alw'), subject: `account:${appeal.account}`, owner: c.get('principal').name, reason: `appeal ${appeal.id} overturned: ${appeal.resolution_reason ?? ''}`, created_ts: ts, expires_ts: until };
  await store.putAllowlist(exemption);
  return { lifted: lift.map((d) => d.id), kept: kept.map((d) => d.id), exemption };
}

/** Appeals: file one on a decision, list, resolve with a reason, report outcomes. */
export function appealsRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();

  r.get('/', requirePermission('appeals:read'), async (c) => {
    const q = query(c, ListQuery);
    return c.json(await c.get('deps').store.listAppeals({ status: q.status, limit: q.limit, cursor: q.cursor ?? null }));
  });

  r.get('/report', requirePermission('appeals:read'), async (c) => {
    const { store, now } = c.get('deps');
    return c.json(appealsReport(await allAppeals(store), now()));
  });

  r.post('/', requirePermission('appeals:create'), async (c) => {
    const body = await jsonBody(c, CreateBody);
    const { store, now, newId } = c.get('deps');
    const d = await getDecisionOr404(store, body.decision_id);
    if ((await appealsFor(store, d.id)).some((a) => a.status === 'pending')) throw new StillwatchError('CONFLICT', `decision ${d.id} already has a pending appeal`);
    const appeal: Appeal = { id: newId('apl'), decision_id: d.id, account: accountOf(d, body.account), submitted_ts: now(), message: body.message, status: 'pending', resolved_ts: null, resolver: null, resolution_reason: null };
    await store.putAppeal(appeal);
    // The decision stays enforced while under appeal; its status shows the appeal.
    if (d.status === 'active') await store.putDecision({ ...d, status: 'appealed' });
    await audit(c, 'appeal.create', appeal.id, { decision_id: d.id, account: appeal.account });
    return c.json(appeal, 201);
  });

  r.get('/:id', requirePermission('appeals:read'), async (c) => {
    const a = await c.get('deps').store.getAppeal(c.req.param('id'));
    if (!a) throw new StillwatchError('NOT_FOUND', `no appeal ${c.req.param('id')}`);
    return c.json(a);
  });

  r.post('/:id/resolve', requirePermission('appeals:resolve'), async (c) => {
    const body = await jsonBody(c, ResolveBody);
    const { store, now } = c.get('deps');
    const a = await store.getAppeal(c.req.param('id'));
    if (!a) throw new StillwatchError('NOT_FOUND', `no appeal ${c.req.param('id')}`);
    if (a.status !== 'pending') throw new StillwatchError('CONFLICT', `appeal ${a.id} was already resolved (${a.status})`);
    const resolved: Appeal = { ...a, status: body.outcome, resolved_ts: now(), resolver: c.get('principal').name, resolution_reason: body.reason };
    await store.putAppeal(resolved);
    const d = await store.getDecision(a.decision_id);
    if (body.outcome === 'upheld') {
      if (d && d.status === 'appealed') await store.putDecision({ ...d, status: 'active' });
      await audit(c, 'appeal.resolve', a.id, { decision_id: a.decision_id, outcome: body.outcome, reason: body.reason });
      return c.json({ appeal: resolved, lifted: [], kept: [], exemption: null });
    }
    const { lifted, kept, exemption } = await overturn(c, resolved, d);
    await audit(c, 'appeal.resolve', a.id, { decision_id: a.decision_id, outcome: body.outcome, reason: body.reason, lifted, kept, exemption: exemption.id });
    return c.json({ appeal: resolved, lifted, kept, exemption });
  });

  return r;
}
