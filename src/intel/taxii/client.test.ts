import { describe, expect, it } from 'vitest';
import { createMemoryIntelStore } from '../../store/memory/intel-store.js';
import { tlpMarkingId } from '../stix/index.js';
import { sha256Hex } from './auth.js';
import { createTaxiiClient } from './client.js';
import { createTaxiiApp } from './server.js';
import { publishLocal, pullFromPeer, pushToPeer } from './share.js';

const COL = '0a3c0b52-7d62-4d31-9b8e-5f1c2a3b4c5d';
const OUT = '1b4d1c63-8e73-4e42-8c9f-6a2d3b4c5d6e';

function indicator(n: number, marking = tlpMarkingId('green')) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--44444444-4444-4444-8444-${String(n).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00.000Z',
    object_marking_refs: [marking],
  };
}

function setup() {
  const store = createMemoryIntelStore();
  let t = Date.UTC(2026, 10, 1);
  const app = createTaxiiApp({
    store,
    now: () => (t += 1000),
    config: {
      default_page_size: 2,
      max_content_length: 4000,
      api_roots: [
        {
          name: 'intel',
          title: 'Intel',
          collections: [
            { id: COL, title: 'Shared' },
            { id: OUT, title: 'Outbox' },
          ],
        },
      ],
      peers: [
        {
          id: 'b',
          token_sha256: [sha256Hex('tok-b')],
          clearance: 'amber',
          permissions: { [COL]: 'read-write', [OUT]: 'read' },
        },
        {
          id: 'c',
          token_sha256: [sha256Hex('tok-c')],
          clearance: 'green',
          permissions: { [OUT]: 'read-write' },
        },
      ],
    },
  });
  const fetchApp = ((input: string | URL | Request, init?: RequestInit) =>
    Promise.resolve(app.fetch(new Request(input, init)))) as typeof fetch;
  const client = (token: string) =>
    createTaxiiClient({ apiRoot: 'http://a.test/intel', auth: { kind: 'bearer', token }, fetch: fetchApp });
  return { store, client };
}

describe('TAXII client', () => {
  it('pages through a collection with next until the end', async () => {
    const { store, client } = setup();
    await publishLocal(
      store,
      COL,
      [1, 2, 3, 4, 5].map((n) => indicator(n)),
      Date.UTC(2026, 10, 1),
    );
    const got = await client('tok-b').pullAll(COL);
    expect(got.objects).toHaveLength(5);
    expect(got.dateAddedLast).toBe('2026-11-01T00:00:00.000Z');
  });

  it('splits a large push under max_content_length and reports every status', async () => {
    const { client } = setup();
    const statuses = await client('tok-b').addObjects(
      COL,
      Array.from({ length: 20 }, (_, i) => indicator(i)),
    );
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.reduce((a, s) => a + s.success_count, 0)).toBe(20);
    const again = await client('tok-b').status(statuses[0]!.id);
    expect(again.status).toBe('complete');
  });

  it('maps HTTP refusals to domain errors without leaking the credential', async () => {
    const { client } = setup();
    await expect(client('wrong-token').collections()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(client('tok-b').addObjects(OUT, [indicator(1)])).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(client('tok-b').collection('99999999-9999-4999-8999-999999999999')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await client('wrong-token')
      .collections()
      .catch((err: unknown) => expect(String(err)).not.toContain('wrong-token'));
  });

  it('reads manifest and versions, deletes an object', async () => {
    const { client } = setup();
    const b = client('tok-b');
    await b.addObjects(COL, [indicator(7), { ...indicator(7), modified: '2026-02-01T00:00:00.000Z' }]);
    expect(await b.versions(COL, indicator(7).id)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    expect((await b.manifest(COL)).objects?.[0]?.version).toBe('2026-02-01T00:00:00.000Z');
    await b.deleteObject(COL, indicator(7).id);
    await expect(b.getObject(COL, indicator(7).id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pulls incrementally: a second pull gets only what was added since', async () => {
    const { store, client } = setup();
    const local = createMemoryIntelStore();
    await publishLocal(store, COL, [indicator(1), indicator(2)], Date.UTC(2026, 10, 1));
    const first = await pullFromPeer({
      client: client('tok-b'),
      store: local,
      peerId: 'a',
      apiRoot: 'http://a.test/intel/',
      remoteCollection: COL,
      now: 1,
    });
    expect(first).toMatchObject({ received: 2, stored: 2, rejected: 0 });
    await publishLocal(store, COL, [indicator(3)], Date.UTC(2026, 10, 2));
    const second = await pullFromPeer({
      client: client('tok-b'),
      store: local,
      peerId: 'a',
      apiRoot: 'http://a.test/intel/',
      remoteCollection: COL,
      now: 2,
    });
    expect(second).toMatchObject({ received: 1, stored: 1 });
    expect((await local.getPeer('a'))?.lastAddedAfter).toBe('2026-11-02T00:00:00.000Z');
  });

  it('never re-shares a peer’s AMBER objects, and respects the recipient’s clearance', async () => {
    const { client } = setup();
    const local = createMemoryIntelStore();
    await local.putObjects([]);
    await publishLocal(
      local,
      'mine',
      [indicator(1, tlpMarkingId('green')), indicator(2, tlpMarkingId('amber'))],
      1,
    );
    const fromPeer = { ...indicator(3, tlpMarkingId('amber')) };
    await local.putObjects([
      {
        collection: 'mine',
        id: fromPeer.id,
        type: 'indicator',
        version: fromPeer.modified,
        versionMs: Date.parse(fromPeer.modified),
        specVersion: '2.1',
        mediaType: 'application/stix+json;version=2.1',
        dateAdded: 2,
        addedBy: 'peer-x',
        tlp: 'amber',
        object: fromPeer,
      },
    ]);
    const toB = await pushToPeer({
      client: client('tok-b'),
      store: local,
      localCollection: 'mine',
      remoteCollection: COL,
      clearance: 'amber',
    });
    expect(toB).toMatchObject({ sent: 2, withheld: 1 });
    const toC = await pushToPeer({
      client: client('tok-c'),
      store: local,
      localCollection: 'mine',
      remoteCollection: OUT,
      clearance: 'green',
    });
    expect(toC).toMatchObject({ sent: 1, withheld: 2 });
  });
});
