import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runStoreContract } from '../contract/index.js';
import { createSqliteStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-sqlite-'));
let n = 0;
runStoreContract('sqlite', () => createSqliteStore(join(dir, `s${n++}.db`)));

describe('SQLite store', () => {
  it('refuses to rewrite or delete audit entries at the database level', async () => {
    const path = join(dir, 'audit.db');
    const store = createSqliteStore(path);
    await store.appendAudit({ ts: 1, actor: 'a', action: 'x', target: 't', detail: {} });
    await store.close();
    const db = new Database(path);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit SET doc = '{}'").run()).toThrow(/append-only/);
    db.close();
  });

  it('keeps data across reopening the file', async () => {
    const path = join(dir, 'reopen.db');
    const a = createSqliteStore(path);
    await a.putCampaigns([
      {
        id: 'c',
        score: 1,
        accounts: [],
        size: 0,
        first_seen_ts: 0,
        last_seen_ts: 0,
        first_flagged_ts: null,
        exchanges: 0,
        signals: {},
        edges: [],
        explanation: '',
      },
    ]);
    await a.close();
    const b = createSqliteStore(path);
    expect((await b.getCampaign('c'))?.id).toBe('c');
    await b.close();
  });
});
