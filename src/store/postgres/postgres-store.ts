import pg from 'pg';
import type { AccountResult, Campaign, Decision } from '../../domain/index.js';
import { decodeCursor, nextCursor } from '../../domain/index.js';
import type {
  AccountStats,
  ActivityBucket,
  AllowlistEntry,
  Appeal,
  AuditEntry,
  Page,
  ScanRecord,
  Store,
} from '../../ports/index.js';
import { POSTGRES_SCHEMA } from './schema.js';
import { accountsQuerySql } from './sql.js';

type Row = { doc: string };
const parseAll = <T>(rows: Row[]): T[] => rows.map((r) => JSON.parse(r.doc) as T);
const first = <T>(rows: Row[]): T | null => (rows[0] ? (JSON.parse(rows[0].doc) as T) : null);

export interface PostgresStoreOptions {
  /** A connection string (postgres://…) or an existing pool the store will use but not end. */
  connection: string | pg.Pool;
  /** Schema to create the tables in and put first on the search path (tests use a fresh one per run). */
  schema?: string;
  /** Pool size when the store opens its own pool. */
  max?: number;
}

/** Quotes an identifier; schema names come from config, never from requests, but are quoted anyway. */
export const quoteIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** Opens a pool whose every connection uses `schema` first on its search path. */
export function openPostgresPool(url: string, schema?: string, max = 4): pg.Pool {
  const options = schema ? `-c search_path=${quoteIdent(schema).replaceAll(' ', '\\ ')},public` : undefined;
  return new pg.Pool({ connectionString: url, max, ...(options ? { options } : {}) });
}

/**
 * The scale-out store: PostgreSQL is the source of truth for accounts, campaigns and decisions.
 * Batches go in one statement each (arrays unnested server-side), so a worker's flush is one
 * round trip whatever its size.
 * @example const store = await createPostgresStore({ connection: 'postgres://postgres@127.0.0.1/test' });
 */
export async function createPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const owned = typeof opts.connection === 'string';
  const pool =
    typeof opts.connection === 'string'
      ? openPostgresPool(opts.connection, opts.schema, opts.max)
      : opts.connection;
  // An idle client losing its server (restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  if (opts.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
  await pool.query(POSTGRES_SCHEMA);
  const q = async <R extends pg.QueryResultRow = Row>(sql: string, params: unknown[] = []): Promise<R[]> =>
    (await pool.query<R>(sql, params)).rows;
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await q<{ n: string }>(sql, params))[0]?.n ?? 0);

  return {
    kind: 'postgres',
    async putAccounts(results) {
      if (results.length === 0) return;
      // Last write wins inside a batch, as with row-at-a-time upserts (ON CONFLICT may touch a row once).
      const byKey = new Map<string, AccountResult>();
      for (const r of results) byKey.set(`${r.account}\u0000${r.end_user ?? ''}`, r);
      const rows = [...byKey.values()];
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client whose server goes away (restart) emits 'error' between queries;
      // with no listener that event would end the process. Note it, and destroy the client below.
      const onError = (e: Error): void => {
        broken ??= e;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO accounts (account, end_user, score, flagged, campaign, exchanges, action, first_seen_ts, first_flagged_ts, doc)
           SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::bool[], $5::text[], $6::int8[], $7::text[], $8::int8[], $9::int8[], $10::text[])
           ON CONFLICT (account, end_user) DO UPDATE SET score = excluded.score, flagged = excluded.flagged,
             campaign = excluded.campaign, exchanges = excluded.exchanges, action = excluded.action,
             first_seen_ts = excluded.first_seen_ts, first_flagged_ts = excluded.first_flagged_ts, doc = excluded.doc`,
          [
            rows.map((r) => r.account),
            rows.map((r) => r.end_user ?? ''),
            rows.map((r) => r.score),
            rows.map((r) => r.flagged),
            rows.map((r) => r.campaign),
            rows.map((r) => r.exchanges),
            rows.map((r) => r.action),
            rows.map((r) => Math.trunc(r.first_seen_ts)),
            rows.map((r) => (r.first_flagged_ts === null ? null : Math.trunc(r.first_flagged_ts))),
            rows.map((r) => JSON.stringify(r)),
          ],
        );
        await client.query(
          'DELETE FROM findings f USING unnest($1::text[], $2::text[]) AS k(a, u) WHERE f.account = k.a AND f.end_user = k.u',
          [rows.map((r) => r.account), rows.map((r) => r.end_user ?? '')],
        );
        const fs = rows.flatMap((r) => r.reasons.map((f) => ({ a: r.account, u: r.end_user ?? '', f })));
        if (fs.length > 0) {
          await client.query(
            `INSERT INTO findings (account, end_user, detector, score, doc)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[])
             ON CONFLICT (account, end_user, detector) DO UPDATE SET score = excluded.score, doc = excluded.doc`,
            [
              fs.map((x) => x.a),
              fs.map((x) => x.u),
              fs.map((x) => x.f.detector),
              fs.map((x) => x.f.score),
              fs.map((x) => JSON.stringify(x.f)),
            ],
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        // A connection that cannot even roll back is gone (server restart): destroy it rather
        // than hand it back to the pool for the retry to trip over.
        broken ??= await client.query('ROLLBACK').then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async getAccount(account, endUser) {
      return first<AccountResult>(
        await q('SELECT doc FROM accounts WHERE account = $1 AND end_user = $2', [account, endUser ?? '']),
      );
    },
    async listAccounts(query) {
      const { where, params, order } = accountsQuerySql(query);
      const offset = decodeCursor(query.cursor);
      const total = await count(`SELECT count(*) AS n FROM accounts ${where}`, params);
      const n = params.length;
      const rows = await q(
        `SELECT doc FROM accounts ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, query.limit, offset],
      );
      return page(parseAll<AccountResult>(rows), total, offset);
    },
    async accountActivity(bucketMs) {
      const b = Math.max(1, Math.floor(bucketMs));
      // Two passes (first sight, first flag) so each bucket counts an account once per event.
      const rows = await q<{ ts: string; first_seen: string; flagged: string; exchanges: string }>(
        `SELECT ts, sum(seen) AS first_seen, sum(flag) AS flagged, sum(ex) AS exchanges FROM (
           SELECT floor(first_seen_ts::numeric / $1) * $1 AS ts, 1 AS seen, 0 AS flag, exchanges AS ex FROM accounts
           UNION ALL
           SELECT floor(first_flagged_ts::numeric / $1) * $1, 0, 1, 0 FROM accounts WHERE flagged AND first_flagged_ts IS NOT NULL
         ) t GROUP BY ts ORDER BY ts`,
        [b],
      );
      return rows.map((r): ActivityBucket => ({
        ts: Number(r.ts),
        first_seen: Number(r.first_seen),
        flagged: Number(r.flagged),
        exchanges: Number(r.exchanges),
      }));
    },
    async accountStats() {
      const rows = await q<{ action: string; n: string; f: string }>(
        'SELECT action, count(*) AS n, count(*) FILTER (WHERE flagged) AS f FROM accounts GROUP BY action',
      );
      const stats: AccountStats = { accounts: 0, flagged: 0, by_action: {} };
      for (const r of rows) {
        stats.accounts += Number(r.n);
        stats.flagged += Number(r.f);
        stats.by_action[r.action] = Number(r.n);
      }
      return stats;
    },
    async putCampaigns(list) {
      if (list.length === 0) return;
      const byId = new Map(list.map((c) => [c.id, c]));
      const rows = [...byId.values()];
      await q(
        `INSERT INTO campaigns (id, score, doc) SELECT * FROM unnest($1::text[], $2::float8[], $3::text[])
         ON CONFLICT (id) DO UPDATE SET score = excluded.score, doc = excluded.doc`,
        [rows.map((c) => c.id), rows.map((c) => c.score), rows.map((c) => JSON.stringify(c))],
      );
    },
    async getCampaign(id) {
      return first<Campaign>(await q('SELECT doc FROM campaigns WHERE id = $1', [id]));
    },
    async listCampaigns(query) {
      const offset = decodeCursor(query.cursor);
      const min = query.minScore ?? -1;
      const total = await count('SELECT count(*) AS n FROM campaigns WHERE score >= $1', [min]);
      const rows = await q(
        'SELECT doc FROM campaigns WHERE score >= $1 ORDER BY score DESC, id LIMIT $2 OFFSET $3',
        [min, query.limit, offset],
      );
      return page(parseAll<Campaign>(rows), total, offset);
    },
    async putDecision(d) {
      const account = 'account' in d.target ? d.target.account : null;
      await q(
        `INSERT INTO decisions (id, account, status, created_ts, doc) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET account = excluded.account, status = excluded.status, created_ts = excluded.created_ts, doc = excluded.doc`,
        [d.id, account, d.status, Math.trunc(d.created_ts), JSON.stringify(d)],
      );
    },
    async getDecision(id) {
      return first<Decision>(await q('SELECT doc FROM decisions WHERE id = $1', [id]));
    },
    async listDecisions(query) {
      const offset = decodeCursor(query.cursor);
      const params = [query.account ?? null, query.status ?? null];
      const where = 'WHERE ($1::text IS NULL OR account = $1) AND ($2::text IS NULL OR status = $2)';
      const total = await count(`SELECT count(*) AS n FROM decisions ${where}`, params);
      const rows = await q(
        `SELECT doc FROM decisions ${where} ORDER BY created_ts DESC, id LIMIT $3 OFFSET $4`,
        [...params, query.limit, offset],
      );
      return page(parseAll<Decision>(rows), total, offset);
    },
    async putAppeal(a) {
      await q(
        `INSERT INTO appeals (id, status, submitted_ts, doc) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc`,
        [a.id, a.status, Math.trunc(a.submitted_ts), JSON.stringify(a)],
      );
    },
    async getAppeal(id) {
      return first<Appeal>(await q('SELECT doc FROM appeals WHERE id = $1', [id]));
    },
    async listAppeals(query) {
      const offset = decodeCursor(query.cursor);
      const status = query.status ?? null;
      const where = 'WHERE ($1::text IS NULL OR status = $1)';
      const total = await count(`SELECT count(*) AS n FROM appeals ${where}`, [status]);
      const rows = await q(
        `SELECT doc FROM appeals ${where} ORDER BY submitted_ts DESC, id LIMIT $2 OFFSET $3`,
        [status, query.limit, offset],
      );
      return page(parseAll<Appeal>(rows), total, offset);
    },
    async putAllowlist(e) {
      await q(
        'INSERT INTO allowlist (id, expires_ts, doc) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET expires_ts = excluded.expires_ts, doc = excluded.doc',
        [e.id, Math.trunc(e.expires_ts), JSON.stringify(e)],
      );
    },
    async deleteAllowlist(id) {
      return ((await pool.query('DELETE FROM allowlist WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
    async listAllowlist(nowTs) {
      return parseAll<AllowlistEntry>(
        await q('SELECT doc FROM allowlist WHERE expires_ts > $1 ORDER BY id', [nowTs]),
      );
    },
    async appendAudit(entry) {
      const rows = await q<{ seq: string }>('INSERT INTO audit (ts, doc) VALUES ($1, $2) RETURNING seq', [
        Math.trunc(entry.ts),
        JSON.stringify(entry),
      ]);
      return Number(rows[0]?.seq);
    },
    async listAudit(query) {
      const offset = decodeCursor(query.cursor);
      const total = await count('SELECT count(*) AS n FROM audit');
      const rows = await q<{ seq: string; doc: string }>(
        'SELECT seq, doc FROM audit ORDER BY seq DESC LIMIT $1 OFFSET $2',
        [query.limit, offset],
      );
      const items = rows.map((r) => ({ ...(JSON.parse(r.doc) as AuditEntry), seq: Number(r.seq) }));
      return page(items, total, offset);
    },
    async putScan(s) {
      await q(
        'INSERT INTO scans (id, ts, doc) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET ts = excluded.ts, doc = excluded.doc',
        [s.id, Math.trunc(s.ts), JSON.stringify(s)],
      );
    },
    async listScans() {
      return parseAll<ScanRecord>(await q('SELECT doc FROM scans ORDER BY ts DESC'));
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}

function page<T>(items: T[], total: number, offset: number): Page<T> {
  return { items, total, next: nextCursor(offset, items.length, total) };
}
