import { beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../domain/index.js';
import type { Store } from '../ports/index.js';
import { createMemoryStore } from '../store/memory/index.js';
import { createApiApp, hashToken } from './index.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
let clock = T0;
let seq = 0;
let store: Store;
let api: ReturnType<typeof createApiApp>;

const TOKENS = { analyst: 'tok-analyst-1', admin: 'tok-admin-1', auditor: 'tok-auditor-1', peer: 'tok-peer-1' } as const;

function call(role: keyof typeof TOKENS | null, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (role) headers['authorization'] = `Bearer ${TOKENS[role]}`;
  return Promise.resolve(api.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

const blockDecision: Decision = {
  id: 'dec_p1',
  target: { kind: 'account', account: 'acct-uni' },
  action: 'block',
  reasons: ['account score 0.970 over 400 exchanges', 'account.score = 0.970 (≥ 0.95)'],
  source: 'policy:default/block-extreme-account',
  created_ts: T0,
  expires_ts: T0 + 72 * 3_600_000,
  params: {},
  status: 'active',
};

beforeEach(async () => {
  clock = T0;
  seq = 0;
  store = createMemoryStore();
  api = createApiApp({
    store,
    tokens: (Object.keys(TOKENS) as (keyof typeof TOKENS)[]).map((role) => ({ name: `${role}-1`, role, token_sha256: hashToken(TOKENS[role]) })),
    now: () => clock,
    newId: (p) => `${p}_${++seq}`,
  });
  await store.putDecision(blockDecision);
  await store.putAccounts([
    { account: 'acct-uni', score: 0.97, flagged: true, action: 'block', campaign: null, first_flagged_ts: T0, exchanges_before_flag: 50, exchanges: 400, first_seen_ts: T0 - 1e6, last_seen_ts: T0, reasons: [{ detector: 'cot_elicitation', score: 0.9, explanation: 'asks for step-by-step reasoning in 92% of prompts', signals: {}, event_ids: [], sample_prompts: [] }] },
  ]);
});

async function auditActions(): Promise<string[]> {
  return (await store.listAudit({ limit: 100 })).items.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)).map((e) => e.action);
}

describe('decisions API authentication and roles', () => {
  it('refuses requests without a valid token', async () => {
    expect((await call(null, 'GET', '/v1/decisions')).status).toBe(401);
    const res = await api.request('/v1/decisions', { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'invalid token' } });
  });

  it('gives each role only what it needs', async () => {
    expect((await call('auditor', 'GET', '/v1/decisions')).status).toBe(200);
    expect((await call('auditor', 'POST', '/v1/decisions/dec_p1/override', { reason: 'looks fine' })).status).toBe(403);
    expect((await call('peer', 'GET', '/v1/decisions')).status).toBe(403);
    expect((await call('analyst', 'POST', '/v1/allowlist', { subject: 'account:a', owner: 'o', reason: 'why not', expires_at: '2026-12-01T00:00:00Z' })).status).toBe(403);
    expect((await call('analyst', 'GET', '/v1/audit')).status).toBe(403);
    expect((await call('auditor', 'GET', '/v1/audit')).status).toBe(200);
  });
});

describe('decisions API: decisions', () => {
  it('lists and explains a decision with its evidence', async () => {
    const list = (await (await call('analyst', 'GET', '/v1/decisions?account=acct-uni')).json()) as { items: Decision[] };
    expect(list.items.map((d) => d.id)).toEqual(['dec_p1']);
    const ex = (await (await call('analyst', 'GET', '/v1/decisions/dec_p1')).json()) as Record<string, unknown>;
    expect(ex).toMatchObject({ enforced: true, made_by: 'policy', expires_at: new Date(T0 + 72 * 3_600_000).toISOString() });
    expect(ex['summary']).toContain('block for account acct-uni; enforced');
    expect(ex['evidence']).toEqual([{ detector: 'cot_elicitation', score: 0.9, explanation: 'asks for step-by-step reasoning in 92% of prompts' }]);
  });

  it('rejects bad input with the field named', async () => {
    const res = await call('analyst', 'POST', '/v1/decisions', { target: { kind: 'account', account: 'x' }, action: 'nuke', reason: 'because' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('action');
    expect((await call('analyst', 'GET', '/v1/decisions/nope')).status).toBe(404);
    expect((await call('analyst', 'GET', '/v1/decisions?limit=0')).status).toBe(400);
  });

  it('overrides a decision with a replacement and audits it', async () => {
    const res = await call('analyst', 'POST', '/v1/decisions/dec_p1/override', { reason: 'university eval team, verified by phone', action: 'throttle', params: { rpm: 60 }, ttl: '7d' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { replacement: Decision };
    expect(body.replacement).toMatchObject({ action: 'throttle', source: 'override:analyst-1', params: { rpm: 60 }, expires_ts: T0 + 7 * 86_400_000 });
    expect((await store.getDecision('dec_p1'))?.status).toBe('overridden');
    expect((await call('analyst', 'POST', '/v1/decisions/dec_p1/override', { reason: 'again please' })).status).toBe(409);
    const entries = (await store.listAudit({ limit: 10 })).items;
    expect(entries.map((e) => [e.actor, e.action, e.target])).toEqual([['analyst-1', 'decision.override', 'dec_p1']]);
  });

  it('refuses a decision that would never be re-evaluated', async () => {
    const res = await call('admin', 'POST', '/v1/decisions', { target: { kind: 'ip', value: '203.0.113.9' }, action: 'block', reason: 'scraper', ttl: '365d' });
    expect(res.status).toBe(400);
  });
});

describe('decisions API: appeals and allowlist', () => {
  it('takes an appeal, resolves it with a reason and reports the outcome', async () => {
    const filed = await call('analyst', 'POST', '/v1/appeals', { decision_id: 'dec_p1', message: 'We run the university benchmark programme.' });
    expect(filed.status).toBe(201);
    expect((await store.getDecision('dec_p1'))?.status).toBe('appealed');
    expect((await call('analyst', 'POST', '/v1/appeals', { decision_id: 'dec_p1', message: 'again' })).status).toBe(409);
    clock = T0 + 3_600_000;
    await store.putDecision({ ...blockDecision, id: 'dec_member', action: 'ban-campaign', source: 'policy:default/ban-confirmed-campaign' });
    const resolved = await call('analyst', 'POST', '/v1/appeals/apl_1/resolve', { outcome: 'overturned', reason: 'verified research programme' });
    expect(resolved.status).toBe(200);
    const out = (await resolved.json()) as { lifted: string[]; exemption: { subject: string; expires_ts: number; owner: string } };
    // Everything holding the account is lifted, and a bounded exemption keeps campaign-wide decisions off it.
    expect(out.lifted.sort()).toEqual(['dec_member', 'dec_p1']);
    expect(out.exemption).toMatchObject({ subject: 'account:acct-uni', owner: 'analyst-1', expires_ts: T0 + 72 * 3_600_000 });
    expect((await store.getDecision('dec_p1'))?.status).toBe('overridden');
    expect((await store.getDecision('dec_member'))?.status).toBe('overridden');
    expect((await call('analyst', 'POST', '/v1/appeals/apl_1/resolve', { outcome: 'upheld', reason: 'changed my mind' })).status).toBe(409);
    const report = (await (await call('auditor', 'GET', '/v1/appeals/report')).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ total: 1, pending: 0, overturned: 1, upheld: 0, overturn_rate: 1, median_resolution_ms: 3_600_000 });
    expect(report['outcomes']).toEqual([{ id: 'apl_1', decision_id: 'dec_p1', account: 'acct-uni', outcome: 'overturned', reason: 'verified research programme', resolver: 'analyst-1', resolved_ts: T0 + 3_600_000 }]);
    expect(await auditActions()).toEqual(['appeal.create', 'appeal.resolve']);
  });

  it('keeps a decision on a shared target in force for the others when one member wins an appeal', async () => {
    const campaignBan: Decision = { ...blockDecision, id: 'dec_cmp', target: { kind: 'campaign', campaign: 'cmp-1' }, action: 'ban-campaign', source: 'policy:default/ban-confirmed-campaign', expires_ts: T0 + 30 * 86_400_000 };
    const rangeBlock: Decision = { ...blockDecision, id: 'dec_cidr', target: { kind: 'cidr', value: '10.1.0.0/16' }, expires_ts: null };
    await store.putDecision(campaignBan);
    await store.putDecision(rangeBlock);
    expect((await call('analyst', 'POST', '/v1/appeals', { decision_id: 'dec_cmp', account: 'acct-uni', message: 'We are not part of this.' })).status).toBe(201);
    expect((await store.getDecision('dec_cmp'))?.status).toBe('appealed');
    const out = (await (await call('analyst', 'POST', '/v1/appeals/apl_1/resolve', { outcome: 'overturned', reason: 'shared office NAT, unrelated customer' })).json()) as { lifted: string[]; kept: string[]; exemption: { subject: string; expires_ts: number } };
    // The account's own block is lifted; the campaign ban stays active for every other member.
    expect(out.lifted).toEqual(['dec_p1']);
    expect(out.kept).toEqual(['dec_cmp']);
    expect((await store.getDecision('dec_cmp'))?.status).toBe('active');
    expect((await store.getDecision('dec_cidr'))?.status).toBe('active');
    expect(out.exemption).toMatchObject({ subject: 'account:acct-uni', expires_ts: T0 + 30 * 86_400_000 });
    // An appeal on a range block: the range stays blocked, the appellant is exempted (bounded: the block never expires).
    expect((await call('analyst', 'POST', '/v1/appeals', { decision_id: 'dec_cidr', account: 'acct-lab', message: 'Our lab sits in this range.' })).status).toBe(201);
    const infra = (await (await call('analyst', 'POST', '/v1/appeals/apl_3/resolve', { outcome: 'overturned', reason: 'verified lab' })).json()) as { lifted: string[]; kept: string[]; exemption: { subject: string; expires_ts: number } };
    expect(infra).toMatchObject({ lifted: [], kept: ['dec_cidr'], exemption: { subject: 'account:acct-lab', expires_ts: T0 + 90 * 86_400_000 } });
    expect((await store.getDecision('dec_cidr'))?.status).toBe('active');
  });

  it('needs an owner, a reason and a future expiry within a year to allowlist', async () => {
    const ok = await call('admin', 'POST', '/v1/allowlist', { subject: 'org:eval-lab', owner: 'ts@example.com', reason: 'verified research programme', expires_at: '2027-01-31T00:00:00Z' });
    expect(ok.status).toBe(201);
    expect((await call('admin', 'POST', '/v1/allowlist', { subject: 'org:x', owner: 'o', reason: 'forever', expires_at: '2030-01-01T00:00:00Z' })).status).toBe(400);
    expect((await call('admin', 'POST', '/v1/allowlist', { subject: 'org:x', owner: 'o', reason: 'missing expiry' })).status).toBe(400);
    expect((await call('admin', 'POST', '/v1/allowlist', { subject: 'org:x', owner: 'o', reason: 'in the past', expires_at: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const list = (await (await call('auditor', 'GET', '/v1/allowlist')).json()) as { items: { id: string }[] };
    expect(list.items.map((e) => e.id)).toEqual(['alw_1']);
    expect((await call('admin', 'DELETE', '/v1/allowlist/alw_1')).status).toBe(204);
    expect((await call('admin', 'DELETE', '/v1/allowlist/alw_1')).status).toBe(404);
    expect(await auditActions()).toEqual(['allowlist.add', 'allowlist.remove']);
  });
});
