import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { IntelStore, NewIntelObject } from '../../src/ports/index.js';
import { createMemoryIntelStore } from '../../src/store/memory/intel-store.js';
import { createSqliteIntelStore } from '../../src/store/sqlite/intel-store.js';

const dir = mkdtempSync(join(tmpdir(), 'intel-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const ADAPTERS: Array<[string, () => IntelStore]> = [
  ['memory', () => createMemoryIntelStore()],
  ['sqlite', () => createSqliteIntelStore(join(dir, `intel-${n++}.db`))],
];

function rec(
  id: string,
  version: string,
  dateAdded: number,
  over: Partial<NewIntelObject> = {},
): NewIntelObject {
  const type = id.split('--')[0] ?? 'indicator';
  return {
    collection: 'c1',
    id,
    type,
    version,
    versionMs: Date.parse(version),
    specVersion: '2.1',
    mediaType: 'application/stix+json;version=2.1',
    dateAdded,
    addedBy: 'local',
    tlp: 'green',
    object: { type, id, modified: version },
    ...over,
  };
}

const A = 'indicator--aaaaaaaa-0000-4000-8000-000000000001';
const B = 'campaign--bbbbbbbb-0000-4000-8000-000000000002';

describe.each(ADAPTERS)('IntelStore contract: %s', (_name, make) => {
  let store: IntelStore;
  beforeEach(async () => {
    store = make();
    await store.putObjects([
      rec(A, '2026-01-01T00:00:00.000Z', 1000),
      rec(A, '2026-01-02T00:00:00.000Z', 2000),
      rec(B, '2026-01-01T00:00:00.000Z', 3000),
      rec(A, '2026-01-03T00:00:00.000Z', 4000),
      rec(B, '2026-01-01T00:00:00.000Z', 5000, { collection: 'c2' }),
    ]);
  });

  it('is idempotent on collection, id and version', async () => {
    expect(await store.putObjects([rec(A, '2026-01-01T00:00:00.000Z', 9000)])).toEqual({
      added: 0,
      duplicates: 1,
    });
  });

  it('returns the last version of each object by default, in insertion order', async () => {
    const page = await store.queryObjects({ collection: 'c1', limit: 10 });
    expect(page.items.map((r) => [r.id, r.version])).toEqual([
      [B, '2026-01-01T00:00:00.000Z'],
      [A, '2026-01-03T00:00:00.000Z'],
    ]);
    expect(page.more).toBe(false);
  });

  it('filters by first, all and explicit versions', async () => {
    expect(
      (await store.queryObjects({ collection: 'c1', limit: 10, ids: [A], versions: 'first' })).items.map(
        (r) => r.version,
      ),
    ).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(
      (await store.queryObjects({ collection: 'c1', limit: 10, ids: [A], versions: 'all' })).items,
    ).toHaveLength(3);
    const explicit = await store.queryObjects({
      collection: 'c1',
      limit: 10,
      versions: { versions: ['2026-01-02T00:00:00.000Z'] },
    });
    expect(explicit.items.map((r) => r.id)).toEqual([A]);
  });

  it('filters by type, spec version and added_after', async () => {
    expect(
      (await store.queryObjects({ collection: 'c1', limit: 10, types: ['campaign'] })).items.map((r) => r.id),
    ).toEqual([B]);
    expect((await store.queryObjects({ collection: 'c1', limit: 10, specVersions: ['2.0'] })).items).toEqual(
      [],
    );
    expect(
      (
        await store.queryObjects({ collection: 'c1', limit: 10, versions: 'all', addedAfter: 2000 })
      ).items.map((r) => r.dateAdded),
    ).toEqual([3000, 4000]);
  });

  it('pages with a sequence cursor and says when more remain', async () => {
    const p1 = await store.queryObjects({ collection: 'c1', limit: 2, versions: 'all' });
    expect(p1.items).toHaveLength(2);
    expect(p1.more).toBe(true);
    const p2 = await store.queryObjects({
      collection: 'c1',
      limit: 2,
      versions: 'all',
      afterSeq: p1.items[1]!.seq,
    });
    expect(p2.items.map((r) => r.dateAdded)).toEqual([3000, 4000]);
    expect(p2.more).toBe(false);
  });

  it('deletes all or chosen versions of one object in one collection', async () => {
    expect(await store.deleteObject('c1', A, 'first')).toBe(1);
    expect(await store.deleteObject('c1', A)).toBe(2);
    expect((await store.queryObjects({ collection: 'c1', limit: 10, ids: [A] })).items).toEqual([]);
    expect((await store.queryObjects({ collection: 'c2', limit: 10 })).items).toHaveLength(1);
  });

  it('keeps status records and peer pull state', async () => {
    const status = {
      id: 's1',
      apiRoot: 'r',
      owner: 'peer-b',
      status: 'complete' as const,
      request_timestamp: '2026-01-01T00:00:00.000Z',
      total_count: 1,
      success_count: 1,
      successes: [{ id: A, version: '2026-01-01T00:00:00.000Z' }],
      failure_count: 0,
      failures: [],
      pending_count: 0,
      pendings: [],
    };
    await store.putStatus(status);
    expect(await store.getStatus('s1')).toEqual(status);
    expect(await store.getStatus('nope')).toBeNull();
    await store.putPeer({
      id: 'p',
      apiRoot: 'http://x/r/',
      collection: 'c',
      lastAddedAfter: null,
      lastPullTs: null,
    });
    await store.putPeer({
      id: 'p',
      apiRoot: 'http://x/r/',
      collection: 'c',
      lastAddedAfter: '2026-01-01T00:00:00.000Z',
      lastPullTs: 5,
    });
    expect((await store.listPeers()).map((p) => p.lastPullTs)).toEqual([5]);
    expect(await store.getPeer('q')).toBeNull();
    await store.close();
  });
});
