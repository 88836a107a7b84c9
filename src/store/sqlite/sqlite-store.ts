import Database from 'better-sqlite3';
import type { AccountResult, Campaign, Decision } from '../../domain/index.js';
import type { AccountStats, ActivityBucket, AllowlistEntry, Appeal, AuditEntry, Page, ScanRecord, Store } from '../../ports/index.js';
import { SQLITE_SCHEMA } from './schema.js';
import { decodeCursor as decodeOffset, nextCursor } from '../../domain/index.js';
import { accountsQuerySql } from './sql.js';

type Row = { doc: string };
const parse = <T>(row: Row | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null);
const parseAll = <T>(rows: Row[]): T[] => rows.map((r) => JSON.parse(r.doc) as T);
const accountKey = (account: string, endUser?: string): string => `${account}\u0000${endUser ?? ''}`;

/**
 * The embedded store: one SQLite file. Writes are batched in transactions (SQLite does
 * ~230k rows/s that way on this machine, ~40x more than row-at-a-time autocommit).
 * @example const store = createSqliteStore('out/stillwatch.db');
 */
export function createSqliteStore(path: string): Store {
  const db = new Database(path);
  db.exec(SQLITE_SCHEMA);
  const st = prepare(db);

  const putAccounts = db.transaction((results: readonly AccountResult[]) => {
    for (const r of results) {
      const eu = r.end_user ?? '';
      st.upsertAccount.run(
        accountKey(r.account, r.end_user),
        r.account,
        eu,
        r.score,
        r.flagged ? 1 : 0,
        r.campaign,
        r.exchanges,
        JSON.stringify(r),
      );
      st.deleteFindings.run(r.account, eu);
      for (const f of r.reasons) st.insertFinding.run(r.account, eu, f.detector, f.score, JSON.stringify(f));
    }
  });
  const putCampaigns = db.transaction((list: readonly Campaign[]) => {
    for (const c of list) st.upsertCampaign.run(c.id, c.score, JSON.stringify(c));
  });

  return {
    kind: 'sqlite',
    putAccounts: (results) => Promise.resolve(putAccounts(results)),
    getAccount: (account, endUser) =>
      Promise.resolve(
        parse<AccountResult>(st.getAccount.get(accountKey(account, endUser)) as Row | undefined),
      ),
    listAccounts(q) {
      const { where, params, order } = accountsQuerySql(q);
      const offset = decodeOffset(q.cursor);
      const total = (db.prepare(`SELECT count(*) AS n FROM accounts ${where}`).get(params) as { n: number })
        .n;
      const rows = db
        .prepare(`SELECT doc FROM accounts ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: q.limit, offset }) as Row[];
      return Promise.resolve(page(parseAll<AccountResult>(rows), total, offset));
    },
    accountActivity(bucketMs) {
      return Promise.resolve(st.activity.all({ b: Math.max(1, Math.floor(bucketMs)) }) as ActivityBucket[]);
    },
    accountStats() {
      const rows = st.actionCounts.all() as { action: string; n: number; f: number }[];
      const stats: AccountStats = { accounts: 0, flagged: 0, by_action: {} };
      for (const r of rows) {
        stats.accounts += r.n;
        stats.flagged += r.f;
        stats.by_action[r.action] = r.n;
      }
      return Promise.resolve(stats);
    },
    putCampaigns: (list) => Promise.resolve(putCampaigns(list)),
    getCampaign: (id) => Promise.resolve(parse<Campaign>(st.getCampaign.get(id) as Row | undefined)),
    listCampaigns(q) {
      const offset = decodeOffset(q.cursor);
      const min = q.minScore ?? -1;
      const total = (st.countCampaigns.get(min) as { n: number }).n;
      const rows = st.listCampaigns.all(min, q.limit, offset) as Row[];
      return Promise.resolve(page(parseAll<Campaign>(rows), total, offset));
    },
    putDecision(d) {
      const account = 'account' in d.target ? d.target.account : null;
      st.upsertDecision.run(d.id, account, d.status, d.created_ts, JSON.stringify(d));
      return Promise.resolve();
    },
    getDecision: (id) => Promise.resolve(parse<Decision>(st.getDecision.get(id) as Row | undefined)),
    listDecisions(q) {
      const offset = decodeOffset(q.cursor);
      const params = { account: q.account ?? null, status: q.status ?? null };
      const where =
        'WHERE (@account IS NULL OR account = @account) AND (@status IS NULL OR status = @status)';
      const total = (db.prepare(`SELECT count(*) AS n FROM decisions ${where}`).get(params) as { n: number })
        .n;
      const rows = db
        .prepare(
          `SELECT doc FROM decisions ${where} ORDER BY created_ts DESC, id LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, limit: q.limit, offset }) as Row[];
      return Promise.resolve(page(parseAll<Decision>(rows), total, offset));
    },
    putAppeal(a) {
      st.upsertAppeal.run(a.id, a.status, a.submitted_ts, JSON.stringify(a));
      return Promise.resolve();
    },
    getAppeal: (id) => Promise.resolve(parse<Appeal>(st.getAppeal.get(id) as Row | undefined)),
    listAppeals(q) {
      const offset = decodeOffset(q.cursor);
      const status = q.status ?? null;
      const total = (st.countAppeals.get({ status }) as { n: number }).n;
      const rows = st.listAppeals.all({ status, limit: q.limit, offset }) as Row[];
      return Promise.resolve(page(parseAll<Appeal>(rows), total, offset));
    },
    putAllowlist(e) {
      st.upsertAllowlist.run(e.id, e.expires_ts, JSON.stringify(e));
      return Promise.resolve();
    },
    deleteAllowlist: (id) => Promise.resolve(st.deleteAllowlist.run(id).changes > 0),
    listAllowlist: (nowTs) => Promise.resolve(parseAll<AllowlistEntry>(st.listAllowlist.all(nowTs) as Row[])),
    appendAudit(entry) {
      const info = st.insertAudit.run(entry.ts, JSON.stringify(entry));
      return Promise.resolve(Number(info.lastInsertRowid));
    },
    listAudit(q) {
      const offset = decodeOffset(q.cursor);
      const total = (st.countAudit.get() as { n: number }).n;
      const rows = st.listAudit.all(q.limit, offset) as { seq: number; doc: string }[];
      const items = rows.map((r) => ({ ...(JSON.parse(r.doc) as AuditEntry), seq: r.seq }));
      return Promise.resolve(page(items, total, offset));
    },
    putScan(s) {
      st.upsertScan.run(s.id, s.ts, JSON.stringify(s));
      return Promise.resolve();
    },
    listScans: () => Promise.resolve(parseAll<ScanRecord>(st.listScans.all() as Row[])),
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

function page<T>(items: T[], total: number, offset: number): Page<T> {
  return { items, total, next: nextCursor(offset, items.length, total) };
}

function prepare(db: Database.Database) {
  return {
    upsertAccount: db.prepare(
      `INSERT INTO accounts (key, account, end_user, score, flagged, campaign, exchanges, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET score = excluded.score, flagged = excluded.flagged, campaign = excluded.campaign, exchanges = excluded.exchanges, doc = excluded.doc`,
    ),
    deleteFindings: db.prepare('DELETE FROM findings WHERE account = ? AND end_user = ?'),
    insertFinding: db.prepare(
      'INSERT OR REPLACE INTO findings (account, end_user, detector, score, doc) VALUES (?, ?, ?, ?, ?)',
    ),
    getAccount: db.prepare('SELECT doc FROM accounts WHERE key = ?'),
    // Two passes (first sight, first flag) so each bucket counts an account once per event.
    activity: db.prepare(
      `SELECT ts, sum(seen) AS first_seen, sum(flag) AS flagged, sum(ex) AS exchanges FROM (
         SELECT (CAST(json_extract(doc, '$.first_seen_ts') AS INTEGER) / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER) AS ts, 1 AS seen, 0 AS flag, exchanges AS ex FROM accounts
         UNION ALL
         SELECT (CAST(json_extract(doc, '$.first_flagged_ts') AS INTEGER) / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), 0, 1, 0 FROM accounts
           WHERE flagged = 1 AND json_extract(doc, '$.first_flagged_ts') IS NOT NULL
       ) GROUP BY ts ORDER BY ts`,
    ),
    actionCounts: db.prepare(
      `SELECT json_extract(doc, '$.action') AS action, count(*) AS n, sum(flagged) AS f FROM accounts GROUP BY 1`,
    ),
    upsertCampaign: db.prepare(
      'INSERT INTO campaigns (id, score, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET score = excluded.score, doc = excluded.doc',
    ),
    getCampaign: db.prepare('SELECT doc FROM campaigns WHERE id = ?'),
    countCampaigns: db.prepare('SELECT count(*) AS n FROM campaigns WHERE score >= ?'),
    listCampaigns: db.prepare(
      'SELECT doc FROM campaigns WHERE score >= ? ORDER BY score DESC, id LIMIT ? OFFSET ?',
    ),
    upsertDecision: db.prepare(
      'INSERT INTO decisions (id, account, status, created_ts, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET account = excluded.account, status = excluded.status, created_ts = excluded.created_ts, doc = excluded.doc',
    ),
    getDecision: db.prepare('SELECT doc FROM decisions WHERE id = ?'),
    upsertAppeal: db.prepare(
      'INSERT INTO appeals (id, status, submitted_ts, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, doc = excluded.doc',
    ),
    getAppeal: db.prepare('SELECT doc FROM appeals WHERE id = ?'),
    countAppeals: db.prepare('SELECT count(*) AS n FROM appeals WHERE (@status IS NULL OR status = @status)'),
    listAppeals: db.prepare(
      'SELECT doc FROM appeals WHERE (@status IS NULL OR status = @status) ORDER BY submitted_ts DESC, id LIMIT @limit OFFSET @offset',
    ),
    upsertAllowlist: db.prepare(
      'INSERT INTO allowlist (id, expires_ts, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET expires_ts = excluded.expires_ts, doc = excluded.doc',
    ),
    deleteAllowlist: db.prepare('DELETE FROM allowlist WHERE id = ?'),
    listAllowlist: db.prepare('SELECT doc FROM allowlist WHERE expires_ts > ? ORDER BY id'),
    insertAudit: db.prepare('INSERT INTO audit (ts, doc) VALUES (?, ?)'),
    countAudit: db.prepare('SELECT count(*) AS n FROM audit'),
    listAudit: db.prepare('SELECT seq, doc FROM audit ORDER BY seq DESC LIMIT ? OFFSET ?'),
    upsertScan: db.prepare(
      'INSERT INTO scans (id, ts, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET ts = excluded.ts, doc = excluded.doc',
    ),
    listScans: db.prepare('SELECT doc FROM scans ORDER BY ts DESC'),
  };
}
