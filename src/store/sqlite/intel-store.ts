import Database from 'better-sqlite3';
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS intel_objects (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  version TEXT NOT NULL,
  version_ms INTEGER NOT NULL,
  spec_version TEXT NOT NULL,
  media_type TEXT NOT NULL,
  date_added INTEGER NOT NULL,
  added_by TEXT NOT NULL,
  tlp TEXT,
  doc TEXT NOT NULL,
  UNIQUE (collection, id, version_ms)
);
CREATE INDEX IF NOT EXISTS intel_objects_coll_added ON intel_objects (collection, date_added);
CREATE TABLE IF NOT EXISTS intel_status (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS intel_peers (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

interface Row {
  seq: number;
  collection: string;
  id: string;
  type: string;
  version: string;
  version_ms: number;
  spec_version: string;
  media_type: string;
  date_added: number;
  added_by: string;
  tlp: string | null;
  doc: string;
}

const fromRow = (r: Row): IntelObjectRecord => ({
  collection: r.collection,
  id: r.id,
  type: r.type,
  version: r.version,
  versionMs: r.version_ms,
  specVersion: r.spec_version,
  mediaType: r.media_type,
  dateAdded: r.date_added,
  seq: r.seq,
  addedBy: r.added_by,
  tlp: r.tlp,
  object: JSON.parse(r.doc) as Record<string, unknown>,
});

function inList(
  column: string,
  values: readonly (string | number)[] | undefined,
  params: (string | number)[],
): string {
  if (values === undefined) return '';
  if (values.length === 0) return ' AND 0';
  params.push(...values);
  return ` AND ${column} IN (${values.map(() => '?').join(',')})`;
}

/** `WHERE` filters and the version pick, shared by query and delete. */
function filterSql(
  collection: string,
  f: { ids?: string[]; types?: string[]; specVersions?: string[]; versions: VersionFilter },
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [collection];
  let where = 'collection = ?';
  where += inList('id', f.ids, params);
  where += inList('type', f.types, params);
  where += inList('spec_version', f.specVersions, params);
  const v = f.versions;
  let pick = '';
  if (v === 'last' || v === 'first') pick = ` WHERE rn_${v} = 1`;
  else if (typeof v === 'object')
    pick = ` WHERE 1${inList(
      'version_ms',
      v.versions.map((x) => Date.parse(x)),
      params,
    )}`;
  const sql = `SELECT * FROM (SELECT *,
      ROW_NUMBER() OVER (PARTITION BY id ORDER BY version_ms DESC) AS rn_last,
      ROW_NUMBER() OVER (PARTITION BY id ORDER BY version_ms ASC) AS rn_first
    FROM intel_objects WHERE ${where})${pick}`;
  return { sql, params };
}

/**
 * IntelStore in one SQLite file (better-sqlite3); the path is the caller's. Writes are batched
 * in one transaction per call.
 * @example const intel = createSqliteIntelStore('out/intel.db');
 */
export function createSqliteIntelStore(path: string): IntelStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const insert = db.prepare(
    `INSERT OR IGNORE INTO intel_objects (collection, id, type, version, version_ms, spec_version, media_type, date_added, added_by, tlp, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const putMany = db.transaction((records: readonly NewIntelObject[]) => {
    let added = 0;
    for (const r of records) {
      const info = insert.run(
        r.collection,
        r.id,
        r.type,
        r.version,
        r.versionMs,
        r.specVersion,
        r.mediaType,
        r.dateAdded,
        r.addedBy,
        r.tlp,
        JSON.stringify(r.object),
      );
      added += info.changes;
    }
    return added;
  });
  const putDoc = (table: 'intel_status' | 'intel_peers') =>
    db.prepare(
      `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
    );
  const getDoc = (table: 'intel_status' | 'intel_peers') =>
    db.prepare(`SELECT doc FROM ${table} WHERE id = ?`);
  const st = {
    putStatus: putDoc('intel_status'),
    getStatus: getDoc('intel_status'),
    putPeer: putDoc('intel_peers'),
    getPeer: getDoc('intel_peers'),
  };
  const listPeers = db.prepare('SELECT doc FROM intel_peers ORDER BY id');

  const queryObjects = (q: IntelObjectQuery): Promise<IntelObjectPage> => {
    const { sql, params } = filterSql(q.collection, { ...q, versions: q.versions ?? 'last' });
    const extra: (string | number)[] = [];
    let cond = '';
    if (q.addedAfter !== undefined) {
      cond += ' AND date_added > ?';
      extra.push(q.addedAfter);
    }
    if (q.afterSeq !== undefined) {
      cond += ' AND seq > ?';
      extra.push(q.afterSeq);
    }
    const rows = db
      .prepare(`SELECT * FROM (${sql}) WHERE 1${cond} ORDER BY seq LIMIT ?`)
      .all(...params, ...extra, q.limit + 1) as Row[];
    return Promise.resolve({ items: rows.slice(0, q.limit).map(fromRow), more: rows.length > q.limit });
  };

  const deleteObject = (
    collection: string,
    id: string,
    versions: VersionFilter = 'all',
    specVersions?: string[],
  ): Promise<number> => {
    const { sql, params } = filterSql(collection, {
      ids: [id],
      versions,
      ...(specVersions ? { specVersions } : {}),
    });
    const info = db
      .prepare(`DELETE FROM intel_objects WHERE seq IN (SELECT seq FROM (${sql}))`)
      .run(...params);
    return Promise.resolve(info.changes);
  };

  const doc = <T>(row: unknown): T | null => (row ? (JSON.parse((row as { doc: string }).doc) as T) : null);
  return {
    kind: 'sqlite',
    putObjects: (records) => {
      const added = putMany(records);
      return Promise.resolve({ added, duplicates: records.length - added });
    },
    queryObjects,
    deleteObject,
    putStatus: (s: TaxiiStatusRecord) => Promise.resolve(void st.putStatus.run(s.id, JSON.stringify(s))),
    getStatus: (id) => Promise.resolve(doc<TaxiiStatusRecord>(st.getStatus.get(id))),
    putPeer: (p: IntelPeerState) => Promise.resolve(void st.putPeer.run(p.id, JSON.stringify(p))),
    getPeer: (id) => Promise.resolve(doc<IntelPeerState>(st.getPeer.get(id))),
    listPeers: () =>
      Promise.resolve((listPeers.all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as IntelPeerState)),
    close: () => Promise.resolve(void db.close()),
  };
}
