import { beforeEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_ID, seedStore, T0 } from '../../test/e2e/console-seed.js';
import type { Store } from '../ports/store.js';
import { createMemoryIntelStore } from '../store/memory/intel-store.js';
import { createMemoryStore } from '../store/memory/index.js';
import { createApiApp, hashToken, openApiDocument } from './index.js';

const TOKENS = { analyst: 'c-analyst', admin: 'c-admin', auditor: 'c-auditor', peer: 'c-peer' } as const;
type R = keyof typeof TOKENS;
let store: Store;
let api: ReturnType<typeof createApiApp>;
let clock = T0;

function make(perMinute = 10_000): ReturnType<typeof createApiApp> {
  const intel = createMemoryIntelStore();
  return createApiApp({
    store,
    tokens: (Object.keys(TOKENS) as R[]).map((role) => ({ name: `${role}-1`, role, token_sha256: hashToken(TOKENS[role]) })),
    now: () => clock,
    rateLimit: { perMinute },
    intel: { intel, localCollections: ['shared-main'] },
  });
}

const get = (role: R | null, path: string): Promise<Response> => Promise.resolve(api.request(path, { headers: role ? { authorization: `Bearer ${TOKENS[role]}` } : {} }));

beforeEach(async () => {
  clock = T0;
  store = createMemoryStore();
  await seedStore(store);
  api = make();
});

describe('console API', () => {
  it('pages and filters accounts on the server, without evidence in list rows', async () => {
    const res = await get('analyst', '/v1/accounts?flagged=true&limit=10&sort=score');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; total: number; next: string | null };
    expect(body.total).toBe(24);
    expect(body.items).toHaveLength(10);
    expect(body.next).not.toBeNull();
    expect(body.items[0]).not.toHaveProperty('reasons');
    const second = (await (await get('analyst', `/v1/accounts?flagged=true&limit=10&cursor=${body.next ?? ''}`)).json()) as { items: { account: string }[] };
    expect(second.items.map((a) => a.account)).not.toContain(body.items[0]?.['account']);
    expect((await get('analyst', '/v1/accounts?limit=9999')).status).toBe(400);
  });

  it('analyses a campaign: edges with their linking reasons, timeline, volume, capability mix', async () => {
    const res = await get('analyst', `/v1/campaigns/${encodeURIComponent(CAMPAIGN_ID)}`);
    expect(res.status).toBe(200);
    const a = (await res.json()) as { edges: { reasons: { kind: string }[] }[]; timeline: unknown[]; volume: unknown[]; capabilities: { name: string; share: number }[]; members_total: number };
    expect(a.members_total).toBe(24);
    expect(a.edges[0]?.reasons.map((r) => r.kind)).toEqual(['payment_fp', 'tls_fp']);
    expect(a.timeline.length).toBeGreaterThan(1);
    expect(a.volume).toHaveLength(24);
    expect(a.capabilities[0]?.name).toBe('coding');
    expect((await get('analyst', '/v1/campaigns/nope')).status).toBe(404);
  });

  it('charts signals against their baselines', async () => {
    const body = (await (await get('auditor', '/v1/findings?account=acct_0000')).json()) as { findings: { chart: { signal: string; baseline: number | null; over_baseline: boolean | null }[] }[] };
    expect(body.findings[0]?.chart[0]).toMatchObject({ signal: 'reasoning_share', baseline: 0.2, over_baseline: true });
  });

  it('gives each role only what it needs', async () => {
    expect((await get(null, '/v1/overview')).status).toBe(401);
    for (const path of ['/v1/overview', '/v1/accounts', '/v1/campaigns', '/v1/findings?account=acct_0000', '/v1/decisions', '/v1/appeals', '/v1/audit']) expect((await get('peer', path)).status, path).toBe(403);
    expect((await get('peer', '/v1/intel/collections')).status).toBe(200);
    expect((await get('peer', '/v1/intel/objects?collection=peer:someone')).status).toBe(403);
    expect((await get('analyst', '/v1/audit')).status).toBe(403);
    expect((await get('auditor', '/v1/audit')).status).toBe(200);
    const me = (await (await get('auditor', '/v1/me')).json()) as { role: string; permissions: string[] };
    expect(me.role).toBe('auditor');
    expect(me.permissions).toContain('audit:read');
    expect(me.permissions).not.toContain('decisions:write');
    const write = await api.request('/v1/decisions', { method: 'POST', headers: { authorization: `Bearer ${TOKENS.auditor}`, 'content-type': 'application/json' }, body: JSON.stringify({ target: { kind: 'account', account: 'acct_0001' }, action: 'block', reason: 'clear campaign member' }) });
    expect(write.status).toBe(403);
  });

  it('summarises the overview from store aggregates', async () => {
    const o = (await (await get('analyst', '/v1/overview')).json()) as { accounts: number; flagged: number; appeals_pending: number; decisions: Record<string, number>; activity: { flagged: number }[]; top_campaigns: { id: string }[] };
    expect(o).toMatchObject({ accounts: 300, flagged: 24, appeals_pending: 1 });
    expect(o.decisions).toMatchObject({ active: 1, appealed: 1 });
    expect(o.activity.reduce((s, b) => s + b.flagged, 0)).toBe(24);
    expect(o.top_campaigns[0]?.id).toBe(CAMPAIGN_ID);
  });

  it('rate-limits per principal with 429 and Retry-After, other principals unaffected', async () => {
    api = make(3);
    for (let i = 0; i < 3; i += 1) expect((await get('analyst', '/v1/me')).status).toBe(200);
    const refused = await get('analyst', '/v1/me');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get('admin', '/v1/me')).status).toBe(200);
    clock += 60_000;
    expect((await get('analyst', '/v1/me')).status).toBe(200);
  });

  it('publishes an OpenAPI 3.1 document whose every path is served', async () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/accounts', '/v1/campaigns/{id}', '/v1/appeals/{id}/resolve', '/v1/audit', '/v1/intel/objects']));
    expect(doc.paths['/v1/accounts']?.['get']?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['flagged', 'min_score', 'search', 'cursor']));
    expect((await api.request('/openapi.json')).status).toBe(200);
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!('get' in ops) || path.includes('{') || path.includes('intel/objects') || path.includes('findings')) continue;
      expect((await get('admin', path)).status, path).toBe(200);
    }
  });
});
