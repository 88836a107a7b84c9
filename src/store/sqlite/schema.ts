/** Tables keep indexed columns for queries and the full record as JSON, so adding a field needs no migration. */
export const SQLITE_SCHEMA = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS accounts (
  key TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  end_user TEXT NOT NULL DEFAULT '',
  score REAL NOT NULL,
  flagged INTEGER NOT NULL,
  campaign TEXT,
  exchanges INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS accounts_score ON accounts(score DESC, account, end_user);
CREATE INDEX IF NOT EXISTS accounts_flagged ON accounts(flagged, score DESC);
CREATE INDEX IF NOT EXISTS accounts_campaign ON accounts(campaign);
CREATE TABLE IF NOT EXISTS findings (
  account TEXT NOT NULL,
  end_user TEXT NOT NULL DEFAULT '',
  detector TEXT NOT NULL,
  score REAL NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account, end_user, detector)
);
CREATE TABLE IF NOT EXISTS campaigns (
  id TEXT PRIMARY KEY,
  score REAL NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
  id TEXT PRIMARY KEY,
  account TEXT,
  status TEXT NOT NULL,
  created_ts INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_account ON decisions(account);
CREATE TABLE IF NOT EXISTS appeals (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  submitted_ts INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS allowlist (
  id TEXT PRIMARY KEY,
  expires_ts INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS scans (
  id TEXT PRIMARY KEY,
  ts INTEGER NOT NULL,
  doc TEXT NOT NULL
);
`;
