import type {
  IntelObjectPage,
  IntelObjectQuery,
  IntelObjectRecord,
  IntelPeerState,
  IntelStore,
  NewIntelObject,
  TaxiiStatusRecord,
  VersionFilter,
} from '../../ports/index.js';

const clone = <T>(v: T): T => structuredClone(v);

function pickVersions(records: IntelObjectRecord[], filter: VersionFilter): IntelObjectRecord[] {
  if (filter === 'all') return records;
  if (typeof filter === 'object') {
    const wanted = new Set(filter.versions.map((v) => Date.parse(v)));
    return records.filter((r) => wanted.has(r.versionMs));
  }
  const best = new Map<string, IntelObjectRecord>();
  for (const r of records) {
    const b = best.get(r.id);
    if (!b || (filter === 'last' ? r.versionMs > b.versionMs : r.versionMs < b.versionMs)) best.set(r.id, r);
  }
  return records.filter((r) => best.get(r.id) === r);
}

/**
 * In-memory IntelStore for tests and short-lived servers; the same semantics as the SQLite one.
 * @example const intel = createMemoryIntelStore();
 */
export function createMemoryIntelStore(): IntelStore {
  const objects: IntelObjectRecord[] = [];
  const keys = new Set<string>();
  const statuses = new Map<string, TaxiiStatusRecord>();
  const peers = new Map<string, IntelPeerState>();
  let seq = 0;
  const keyOf = (r: { collection: string; id: string; versionMs: number }): string =>
    `${r.collection}\u0000${r.id}\u0000${r.versionMs}`;

  const putObjects = (records: readonly NewIntelObject[]): Promise<{ added: number; duplicates: number }> => {
    let added = 0;
    for (const r of records) {
      const k = keyOf(r);
      if (keys.has(k)) continue;
      keys.add(k);
      objects.push({ ...clone(r), seq: ++seq });
      added++;
    }
    return Promise.resolve({ added, duplicates: records.length - added });
  };

  const queryObjects = (q: IntelObjectQuery): Promise<IntelObjectPage> => {
    const ids = q.ids ? new Set(q.ids) : null;
    const types = q.types ? new Set(q.types) : null;
    const specs = q.specVersions ? new Set(q.specVersions) : null;
    const candidates = objects.filter(
      (r) =>
        r.collection === q.collection &&
        (!ids || ids.has(r.id)) &&
        (!types || types.has(r.type)) &&
        (!specs || specs.has(r.specVersion)),
    );
    const picked = pickVersions(candidates, q.versions ?? 'last').filter(
      (r) =>
        (q.addedAfter === undefined || r.dateAdded > q.addedAfter) &&
        (q.afterSeq === undefined || r.seq > q.afterSeq),
    );
    return Promise.resolve({ items: picked.slice(0, q.limit).map(clone), more: picked.length > q.limit });
  };

  const deleteObject = (
    collection: string,
    id: string,
    versions: VersionFilter = 'all',
    specVersions?: string[],
  ): Promise<number> => {
    const specs = specVersions ? new Set(specVersions) : null;
    const mine = objects.filter(
      (r) => r.collection === collection && r.id === id && (!specs || specs.has(r.specVersion)),
    );
    const doomed = new Set(pickVersions(mine, versions));
    for (let i = objects.length - 1; i >= 0; i--) {
      const r = objects[i];
      if (r && doomed.has(r)) {
        objects.splice(i, 1);
        keys.delete(keyOf(r));
      }
    }
    return Promise.resolve(doomed.size);
  };

  return {
    kind: 'memory',
    putObjects,
    queryObjects,
    deleteObject,
    putStatus: (s) => Promise.resolve(void statuses.set(s.id, clone(s))),
    getStatus: (id) => Promise.resolve(statuses.has(id) ? clone(statuses.get(id) ?? null) : null),
    putPeer: (p) => Promise.resolve(void peers.set(p.id, clone(p))),
    getPeer: (id) => Promise.resolve(clone(peers.get(id) ?? null)),
    listPeers: () => Promise.resolve([...peers.values()].sort((a, b) => a.id.localeCompare(b.id)).map(clone)),
    close: () => Promise.resolve(),
  };
}
