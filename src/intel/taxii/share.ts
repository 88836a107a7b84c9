import type { IntelObjectRecord, IntelStore, NewIntelObject } from '../../ports/index.js';
import {
  buildSightingBundle,
  mayShare,
  objectVersion,
  parseStixTimestamp,
  StixObject,
  tlpOfObject,
  type SightingRecord,
  type StixValidator,
  type TlpLevel,
} from '../stix/index.js';
import type { TaxiiClient } from './client.js';
import { STIX_MEDIA_TYPE } from './config.js';

function toRecord(obj: StixObject, collection: string, addedBy: string, dateAdded: number): NewIntelObject {
  const version = objectVersion(obj);
  return {
    collection,
    id: obj.id,
    type: obj.type,
    version,
    versionMs: parseStixTimestamp(version),
    specVersion: obj.spec_version ?? '2.0',
    mediaType: STIX_MEDIA_TYPE,
    dateAdded,
    addedBy,
    tlp: tlpOfObject(obj) ?? null,
    object: obj,
  };
}

/**
 * Puts our own objects into a local collection, where the TAXII server publishes them.
 * @example await publishLocal(store, COLLECTION_ID, bundle.objects, Date.now())
 */
export async function publishLocal(
  store: IntelStore,
  collection: string,
  objects: readonly unknown[],
  dateAdded: number,
) {
  const records = objects.map((o) => toRecord(StixObject.parse(o), collection, 'local', dateAdded));
  return store.putObjects(records);
}

export interface PullResult {
  received: number;
  stored: number;
  rejected: number;
  /** The valid objects of this pull (new and already known). */
  objects: StixObject[];
}

/**
 * Pulls what a peer added since the last pull, validates every object, and keeps the valid
 * ones in `peer:<id>` with the peer as their source (so TLP re-share rules apply to them).
 */
export async function pullFromPeer(o: {
  client: TaxiiClient;
  store: IntelStore;
  peerId: string;
  apiRoot: string;
  remoteCollection: string;
  validator?: StixValidator;
  now: number;
}): Promise<PullResult> {
  const state = await o.store.getPeer(o.peerId);
  const since = state?.collection === o.remoteCollection ? (state.lastAddedAfter ?? undefined) : undefined;
  const pulled = await o.client.pullAll(
    o.remoteCollection,
    since ? { addedAfter: since, versions: 'all' } : { versions: 'all' },
  );
  const good: StixObject[] = [];
  let rejected = 0;
  for (const raw of pulled.objects) {
    const p = StixObject.safeParse(raw);
    if (!p.success || (o.validator && o.validator.validateObject(raw).length > 0)) {
      rejected++;
      continue;
    }
    good.push(p.data);
  }
  const local = `peer:${o.peerId}`;
  const { added } = await o.store.putObjects(good.map((obj) => toRecord(obj, local, o.peerId, o.now)));
  await o.store.putPeer({
    id: o.peerId,
    apiRoot: o.apiRoot,
    collection: o.remoteCollection,
    lastAddedAfter: pulled.dateAddedLast ?? since ?? null,
    lastPullTs: o.now,
  });
  return { received: pulled.objects.length, stored: added, rejected, objects: good };
}

/**
 * What may go to a peer with the given clearance: ours up to that level, other peers' only
 * when CLEAR or GREEN. Returns the objects and how many were withheld.
 */
export function shareable(
  records: readonly IntelObjectRecord[],
  clearance: TlpLevel,
): { objects: Record<string, unknown>[]; withheld: number } {
  const objects = records
    .filter((r) => mayShare(r.object, { clearance, reshare: r.addedBy !== 'local' }))
    .map((r) => r.object);
  return { objects, withheld: records.length - objects.length };
}

/** Pushes a local collection to a peer, TLP re-share rules applied. */
export async function pushToPeer(o: {
  client: TaxiiClient;
  store: IntelStore;
  localCollection: string;
  remoteCollection: string;
  clearance: TlpLevel;
}) {
  const records: IntelObjectRecord[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await o.store.queryObjects({
      collection: o.localCollection,
      limit: 1000,
      versions: 'all',
      ...(afterSeq !== undefined ? { afterSeq } : {}),
    });
    records.push(...page.items);
    afterSeq = page.items[page.items.length - 1]?.seq;
    if (!page.more) break;
  }
  const { objects, withheld } = shareable(records, o.clearance);
  const statuses = objects.length > 0 ? await o.client.addObjects(o.remoteCollection, objects) : [];
  return { sent: objects.length, withheld, statuses };
}

/**
 * Posts sightings of a peer's indicators back to that peer: counts and time windows only.
 * @example await reportSightings({ client, remoteCollection, records: matcher.sightings(), producer: { name: 'Provider B' } })
 */
export async function reportSightings(o: {
  client: TaxiiClient;
  remoteCollection: string;
  records: readonly SightingRecord[];
  producer: { name: string };
  tlp?: TlpLevel;
}) {
  if (o.records.length === 0) return { sent: 0, statuses: [] };
  const bundle = buildSightingBundle(o.records, { producer: o.producer, ...(o.tlp ? { tlp: o.tlp } : {}) });
  const statuses = await o.client.addObjects(o.remoteCollection, bundle.objects);
  return { sent: bundle.objects.length, statuses };
}
