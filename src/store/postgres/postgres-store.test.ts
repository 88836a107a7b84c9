import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract, sampleAccount } from '../contract/index.js';
import { createPostgresStore, quoteIdent } from './index.js';

const URL = process.env['STILLWATCH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `sw_test_${randomBytes(4).toString('hex')}`;
let n = 0;
const schemas: string[] = [];
const fresh = (): string => {
  const s = `${prefix}_${n++}`;
  schemas.push(s);
  return s;
};

afterAll(async () => {
  const admin = new pg.Client({ connectionString: URL });
  await admin.connect();
  try {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
  } finally {
    await admin.end();
  }
});

runStoreContract('postgres', () => createPostgresStore({ connection: URL, schema: fresh(), max: 2 }));

describe('PostgreSQL store', () => {
  it('refuses to rewrite or delete audit entries at the database level', async () => {
    const schema = fresh();
    const store = await createPostgresStore({ connection: URL, schema, max: 1 });
    await store.appendAudit({ ts: 1, actor: 'a', action: 'x', target: 't', detail: {} });
    await store.close();
    const c = new pg.Client({ connectionString: URL });
    await c.connect();
    try {
      await expect(c.query(`DELETE FROM ${quoteIdent(schema)}.audit`)).rejects.toThrow(/append-only/);
      await expect(c.query(`UPDATE ${quoteIdent(schema)}.audit SET doc = '{}'`)).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await c.end();
    }
  });

  it('writes a large account batch in one call and keeps the last copy of a repeated key', async () => {
    const store = await createPostgresStore({ connection: URL, schema: fresh(), max: 1 });
    try {
      const rows = Array.from({ length: 2_000 }, (_, i) => sampleAccount(`a${i}`));
      await store.putAccounts([...rows, sampleAccount('a7', { score: 0.9 })]);
      expect((await store.listAccounts({ limit: 1 })).total).toBe(2_000);
      expect((await store.getAccount('a7'))?.score).toBe(0.9);
    } finally {
      await store.close();
    }
  });
});
