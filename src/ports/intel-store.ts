/**
 * Where shared intelligence lives: STIX objects by TAXII collection, every version kept with
 * the date it was added (TAXII's `date_added`), TAXII status resources, and the pull state of
 * each peer we read from. Implemented by `store/memory` and `store/sqlite`; both pass the
 * contract suite in `test/intel-store.contract.test.ts`.
 */

export interface IntelObjectRecord {
  collection: string;
  id: string;
  type: string;
  /** The STIX version: `modified`, else `created`, else a fixed epoch (SCOs, markings). */
  version: string;
  /** `version` as epoch milliseconds, for ordering. */
  versionMs: number;
  specVersion: string;
  mediaType: string;
  /** When this version entered the collection (server clock, epoch ms). */
  dateAdded: number;
  /** Insertion order, assigned by the store; strictly increasing; the paging cursor. */
  seq: number;
  /** Who added it: a peer id, or "local". TLP re-share rules depend on it. */
  addedBy: string;
  /** Most restrictive TLP 2.0 level of the object, if marked. */
  tlp: string | null;
  object: Record<string, unknown>;
}

export type NewIntelObject = Omit<IntelObjectRecord, 'seq'>;

export type VersionFilter = 'last' | 'first' | 'all' | { versions: string[] };

export interface IntelObjectQuery {
  collection: string;
  /** Only versions added strictly after this instant (epoch ms). */
  addedAfter?: number;
  /** Only records with `seq` greater than this (the `next` cursor). */
  afterSeq?: number;
  limit: number;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  /** Default `last`: the newest version of each object. */
  versions?: VersionFilter;
}

export interface IntelObjectPage {
  items: IntelObjectRecord[];
  /** True when more records match after the last one returned. */
  more: boolean;
}

export interface TaxiiStatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface TaxiiStatusRecord {
  id: string;
  apiRoot: string;
  /** The peer that made the request: only it may read the status. */
  owner: string;
  status: 'pending' | 'complete';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: TaxiiStatusDetail[];
  failure_count: number;
  failures: TaxiiStatusDetail[];
  pending_count: number;
  pendings: TaxiiStatusDetail[];
}

/** Pull state of one peer collection we read from (credentials never live here). */
export interface IntelPeerState {
  id: string;
  apiRoot: string;
  collection: string;
  /** The last X-TAXII-Date-Added-Last seen, to pull only what is new. */
  lastAddedAfter: string | null;
  lastPullTs: number | null;
}

export interface IntelStore {
  readonly kind: string;
  /** Idempotent on (collection, id, version): an existing version is left as it is and counted as a duplicate. */
  putObjects(records: readonly NewIntelObject[]): Promise<{ added: number; duplicates: number }>;
  queryObjects(query: IntelObjectQuery): Promise<IntelObjectPage>;
  /** Deletes matching versions of one object (all versions by default); returns how many went. */
  deleteObject(
    collection: string,
    id: string,
    versions?: VersionFilter,
    specVersions?: string[],
  ): Promise<number>;
  putStatus(status: TaxiiStatusRecord): Promise<void>;
  getStatus(id: string): Promise<TaxiiStatusRecord | null>;
  putPeer(peer: IntelPeerState): Promise<void>;
  getPeer(id: string): Promise<IntelPeerState | null>;
  listPeers(): Promise<IntelPeerState[]>;
  close(): Promise<void>;
}
