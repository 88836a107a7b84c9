import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryIntelStore } from '../../store/memory/intel-store.js';
import { createStixValidator, tlpMarkingId } from '../stix/index.js';
import { sha256Hex } from './auth.js';
import { TaxiiServerConfig, type TaxiiServerConfigInput } from './config.js';
import { loadMedallion, MEDALLION_USER } from './fixtures/medallion.js';
import { createTaxiiApp } from './server.js';

const TAXII = 'application/taxii+json;version=2.1';
const HIGH = '91a7b528-80eb-42ed-a74d-c6fbd5a26116';
const WRITE_ONLY = '472c94ae-3113-4e3e-a4dd-a9f4ac7471d4';
const READ_ONLY = '52892447-4d7e-4f70-b94d-d7f22742ff63';
const SECRET = '64993447-4d7e-4f70-b94d-d7f33742ee63';
const ADD = '365fed99-08fa-fdcd-a1b3-fb247eb41d01';
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const AUTH = basic(MEDALLION_USER.username, MEDALLION_USER.password);
const validator = createStixValidator('../shared/stix2-json-schemas/schemas');

let app: ReturnType<typeof createTaxiiApp>;
let config: TaxiiServerConfigInput;

async function get(path: string, headers: Record<string, string> = {}) {
  return app.request(path, { headers: { Accept: TAXII, Authorization: AUTH, ...headers } });
}
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: AUTH, ...headers },
  });
}
function indicator(id: string, modified: string, marking?: string) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2026-01-01T00:00:00.000Z',
    modified,
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00.000Z',
    ...(marking ? { object_marking_refs: [marking] } : {}),
  };
}

beforeEach(async () => {
  const store = createMemoryIntelStore();
  config = await loadMedallion(store);
  const peers = [
    ...(config.peers ?? []),
    {
      id: 'peer-b',
      token_sha256: [sha256Hex('token-b')],
      clearance: 'amber' as const,
      permissions: { [ADD]: 'read-write' as const },
    },
    {
      id: 'peer-c',
      token_sha256: [sha256Hex('token-c')],
      clearance: 'green' as const,
      permissions: { [ADD]: 'read-write' as const },
    },
  ];
  config = { ...config, peers, max_content_length: 20_000 };
  let t = Date.UTC(2026, 10, 1);
  app = createTaxiiApp({ config, store, validator, now: () => (t += 1000) });
});

describe('TAXII 2.1 server: discovery, API roots, auth, media types', () => {
  it('serves discovery with absolute API root URLs', async () => {
    const res = await get('http://taxii.test/taxii2/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    const body = (await res.json()) as { api_roots: string[]; default: string };
    expect(body.api_roots).toEqual([
      'http://taxii.test/api1/',
      'http://taxii.test/api2/',
      'http://taxii.test/trustgroup1/',
    ]);
    expect(body.default).toBe('http://taxii.test/trustgroup1/');
  });

  it('answers 401 with a challenge when credentials are missing or wrong', async () => {
    const none = await app.request('/taxii2/', { headers: { Accept: TAXII } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    expect((await get('/taxii2/', { Authorization: basic('medallion', 'wrong') })).status).toBe(401);
    expect((await get('/taxii2/', { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get('/taxii2/', { Authorization: `Bearer ${MEDALLION_USER.token}` })).status).toBe(200);
  });

  it('answers 406 unless the client accepts TAXII 2.1 JSON', async () => {
    expect((await get('/taxii2/', { Accept: 'application/json' })).status).toBe(406);
    expect((await get('/taxii2/', { Accept: 'application/taxii+json;version=2.0' })).status).toBe(406);
    expect((await get('/taxii2/', { Accept: 'text/html, application/taxii+json;q=0.5' })).status).toBe(200);
  });

  it('describes an API root and 404s an unknown one', async () => {
    const res = await get('/trustgroup1/');
    expect(await res.json()).toEqual({
      title: 'Malware Research Group',
      description: 'A trust group setup for malware researchers',
      versions: [TAXII],
      max_content_length: 20_000,
    });
    expect((await get('/nope/')).status).toBe(404);
  });

  it('returns a TAXII error resource on errors', async () => {
    const res = await get('/nope/');
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(await res.json()).toMatchObject({ title: 'NOT_FOUND', http_status: '404' });
  });
});

describe('TAXII 2.1 server: collections and permissions', () => {
  it('lists only the collections the peer may read or write, with its own flags', async () => {
    const body = (await (await get('/trustgroup1/collections/')).json()) as {
      collections: { id: string; can_read: boolean; can_write: boolean }[];
    };
    const ids = body.collections.map((c) => c.id);
    expect(ids).toContain(READ_ONLY);
    expect(ids).not.toContain(SECRET);
    expect(body.collections.find((c) => c.id === WRITE_ONLY)).toMatchObject({
      can_read: false,
      can_write: true,
    });
  });

  it('hides a collection the peer has no rights on (404) and forbids the missing right (403)', async () => {
    expect((await get(`/trustgroup1/collections/${SECRET}/`)).status).toBe(404);
    expect((await get(`/trustgroup1/collections/${WRITE_ONLY}/objects/`)).status).toBe(403);
    expect((await post(`/trustgroup1/collections/${READ_ONLY}/objects/`, { objects: [] })).status).toBe(403);
    expect((await get(`/trustgroup1/collections/${HIGH}/`)).status).toBe(200);
  });
});

describe('TAXII 2.1 server: objects, manifest, versions', () => {
  const base = `/trustgroup1/collections/${HIGH}`;

  it('returns the last version of each object, with date-added headers', async () => {
    const res = await get(`${base}/objects/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-taxii-date-added-first')).toBe('2014-05-08T09:00:00.000Z');
    const body = (await res.json()) as { more: boolean; objects: { id: string; modified?: string }[] };
    expect(body.more).toBe(false);
    expect(
      body.objects
        .filter((o) => o.id === 'indicator--6770298f-0fd8-471a-ab8c-1c658a46574e')
        .map((o) => o.modified),
    ).toEqual(['2017-01-27T13:49:53.935Z']);
  });

  it('filters by match[type], match[id], match[version] and match[spec_version]', async () => {
    const types = (await (await get(`${base}/objects/?match[type]=indicator`)).json()) as {
      objects: { type: string }[];
    };
    expect(new Set(types.objects.map((o) => o.type))).toEqual(new Set(['indicator']));
    const all = (await (
      await get(
        `${base}/objects/?match[id]=indicator--6770298f-0fd8-471a-ab8c-1c658a46574e&match[version]=all`,
      )
    ).json()) as { objects: unknown[] };
    expect(all.objects).toHaveLength(3);
    const first = (await (
      await get(
        `${base}/objects/?match[id]=malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec&match[version]=first`,
      )
    ).json()) as { objects: { modified: string }[] };
    expect(first.objects[0]!.modified).toBe('2017-01-27T13:49:53.997Z');
    // medallion's collection holds one STIX 2.0 object (a malware version); the rest are 2.1.
    const v20 = (await (await get(`${base}/objects/?match[spec_version]=2.0`)).json()) as {
      objects: { type: string }[];
    };
    expect(v20.objects.map((o) => o.type)).toEqual(['malware']);
    const none = await (await get(`${base}/objects/?match[spec_version]=2.0&match[type]=indicator`)).json();
    expect(none).toEqual({ more: false });
    expect((await get(`${base}/objects/?match[colour]=red`)).status).toBe(400);
  });

  it('pages with limit and next, and honours added_after', async () => {
    const p1 = (await (await get(`${base}/objects/?match[version]=all&limit=3`)).json()) as {
      more: boolean;
      next: string;
      objects: unknown[];
    };
    expect(p1.objects).toHaveLength(3);
    expect(p1.more).toBe(true);
    const p2 = (await (
      await get(`${base}/objects/?match[version]=all&limit=100&next=${p1.next}`)
    ).json()) as { more: boolean; objects: unknown[] };
    expect(p2.more).toBe(false);
    expect(p1.objects.length + p2.objects.length).toBe(8);
    const after = (await (
      await get(`${base}/objects/?match[version]=all&added_after=2017-01-01T00:00:00.000Z`)
    ).json()) as { objects: unknown[] };
    expect(after.objects.length).toBeLessThan(8);
    expect((await get(`${base}/objects/?limit=0`)).status).toBe(400);
    expect((await get(`${base}/objects/?added_after=yesterday`)).status).toBe(400);
    expect((await get(`${base}/objects/?next=garbage`)).status).toBe(400);
  });

  it('serves the manifest with date_added, version and media type', async () => {
    const body = (await (
      await get(`${base}/manifest/?match[id]=indicator--cd981c25-8042-4166-8945-51178443bdac`)
    ).json()) as { objects: unknown[] };
    expect(body.objects).toEqual([
      {
        id: 'indicator--cd981c25-8042-4166-8945-51178443bdac',
        date_added: '2016-11-01T03:04:05.000Z',
        version: '2014-05-08T09:00:00.000Z',
        media_type: 'application/stix+json;version=2.1',
      },
    ]);
  });

  it('gets one object and lists its versions, 404 for an unknown one', async () => {
    const id = 'indicator--6770298f-0fd8-471a-ab8c-1c658a46574e';
    const one = (await (await get(`${base}/objects/${id}/`)).json()) as { objects: { id: string }[] };
    expect(one.objects.map((o) => o.id)).toEqual([id]);
    const versions = (await (await get(`${base}/objects/${id}/versions/`)).json()) as { versions: string[] };
    expect(versions.versions).toEqual([
      '2016-11-03T12:30:59.000Z',
      '2016-12-25T12:30:59.444Z',
      '2017-01-27T13:49:53.935Z',
    ]);
    expect((await get(`${base}/objects/indicator--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
    expect(
      (await get(`${base}/objects/indicator--00000000-0000-4000-8000-000000000000/versions/`)).status,
    ).toBe(404);
  });

  it('deletes one version, then the rest, then 404s', async () => {
    const id = 'indicator--6770298f-0fd8-471a-ab8c-1c658a46574e';
    const del = (q = '') =>
      app.request(`${base}/objects/${id}/${q}`, {
        method: 'DELETE',
        headers: { Accept: TAXII, Authorization: AUTH },
      });
    expect((await del('?match[version]=2016-11-03T12:30:59.000Z')).status).toBe(200);
    expect(
      ((await (await get(`${base}/objects/${id}/versions/`)).json()) as { versions: string[] }).versions,
    ).toHaveLength(2);
    expect((await del()).status).toBe(200);
    expect((await del()).status).toBe(404);
  });

  it('serves a status resource to its owner only', async () => {
    const res = await get('/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710/');
    const s = (await res.json()) as {
      total_count: number;
      success_count: number;
      failure_count: number;
      pending_count: number;
    };
    expect(s.success_count + s.failure_count + s.pending_count).toBe(s.total_count);
    expect(
      (
        await get('/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710/', {
          Authorization: 'Bearer token-b',
        })
      ).status,
    ).toBe(404);
  });
});

describe('TAXII 2.1 server: adding objects', () => {
  const base = `/trustgroup1/collections/${ADD}`;
  const id1 = 'indicator--11111111-1111-4111-8111-111111111111';

  it('accepts valid objects with 202 and a status; rejects invalid ones in the status', async () => {
    const bad = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--22222222-2222-4222-8222-222222222222',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
    };
    const res = await post(`${base}/objects/`, {
      objects: [indicator(id1, '2026-01-02T00:00:00.000Z'), bad, { nonsense: true }],
    });
    expect(res.status).toBe(202);
    const status = (await res.json()) as {
      id: string;
      status: string;
      success_count: number;
      failure_count: number;
      total_count: number;
    };
    expect(status).toMatchObject({ status: 'complete', success_count: 1, failure_count: 2, total_count: 3 });
    const again = await get(`/trustgroup1/status/${status.id}/`);
    expect(again.status).toBe(200);
    const stored = (await (await get(`${base}/objects/${id1}/`)).json()) as { objects: unknown[] };
    expect(stored.objects).toHaveLength(1);
  });

  it('rejects a pattern that does not parse', async () => {
    const broken = { ...indicator(id1, '2026-01-02T00:00:00.000Z'), pattern: '[ipv4-addr:value = ' };
    const s = (await (await post(`${base}/objects/`, { objects: [broken] })).json()) as {
      failures: { message: string }[];
    };
    expect(s.failures[0]!.message).toContain('pattern does not parse');
  });

  it('answers 415 for the wrong content type, 413 past max_content_length, 400 for bad JSON', async () => {
    expect(
      (await post(`${base}/objects/`, { objects: [] }, { 'Content-Type': 'application/json' })).status,
    ).toBe(415);
    const big = {
      objects: Array.from({ length: 100 }, (_, i) =>
        indicator(
          `indicator--11111111-1111-4111-8111-${String(i).padStart(12, '0')}`,
          '2026-01-02T00:00:00.000Z',
        ),
      ),
    };
    expect((await post(`${base}/objects/`, big)).status).toBe(413);
    const raw = await app.request(`${base}/objects/`, {
      method: 'POST',
      body: '{oops',
      headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: AUTH },
    });
    expect(raw.status).toBe(400);
  });
});

describe('TAXII 2.1 server: TLP enforcement', () => {
  const base = `/trustgroup1/collections/${ADD}`;
  const ids = {
    green: 'indicator--33333333-3333-4333-8333-000000000001',
    amber: 'indicator--33333333-3333-4333-8333-000000000002',
    red: 'indicator--33333333-3333-4333-8333-000000000003',
  };

  it('never shows a peer objects above its clearance, nor another peer’s AMBER objects', async () => {
    const objects = (['green', 'amber', 'red'] as const).map((l) =>
      indicator(ids[l], '2026-01-02T00:00:00.000Z', tlpMarkingId(l)),
    );
    expect((await post(`${base}/objects/`, { objects }, { Authorization: 'Bearer token-b' })).status).toBe(
      202,
    );
    const seen = async (token: string) =>
      (
        (await (await get(`${base}/objects/`, { Authorization: `Bearer ${token}` })).json()) as {
          objects?: { id: string }[];
        }
      ).objects?.map((o) => o.id) ?? [];
    expect(await seen('token-b')).toEqual([ids.green, ids.amber, ids.red]);
    expect(await seen('token-c')).toEqual([ids.green]);
    expect((await get(`${base}/objects/${ids.amber}/`, { Authorization: 'Bearer token-c' })).status).toBe(
      404,
    );
  });

  it('counts only visible objects against limit', async () => {
    const objects = (['red', 'amber', 'green'] as const).map((l) =>
      indicator(ids[l], '2026-01-02T00:00:00.000Z', tlpMarkingId(l)),
    );
    await post(`${base}/objects/`, { objects }, { Authorization: 'Bearer token-b' });
    const body = (await (
      await get(`${base}/objects/?limit=1`, { Authorization: 'Bearer token-c' })
    ).json()) as { objects: { id: string }[]; more: boolean };
    expect(body.objects.map((o) => o.id)).toEqual([ids.green]);
    expect(body.more).toBe(false);
  });

  it('rejects configs that are not valid', () => {
    expect(() => TaxiiServerConfig.parse({ api_roots: [] })).toThrow();
    expect(() => TaxiiServerConfig.parse({ api_roots: [{ name: 'a/b', title: 't' }] })).toThrow();
  });
});
