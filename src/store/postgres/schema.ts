/**
 * Tables keep indexed columns for queries and the full record as JSON text, so adding a field
 * needs no migration (same layout as the SQLite adapter). Text rather than JSONB: records are
 * read back byte for byte and JSONB would renormalise them for no query we need.
 */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  account TEXT NOT NULL,
  end_user TEXT NOT NULL DEFAULT '',
  score DOUBLE PRECISION NOT NULL,
  flagged BOOLEAN NOT NULL,
  campaign TEXT,
  exchanges BIGINT NOT NULL,
  action TEXT NOT NULL,
  first_seen_ts BIGINT NOT NULL,
  first_flagged_ts BIGINT,
  doc TEXT NOT NULL,
  PRIMARY KEY (account, end_user)
);
CREATE INDEX IF NOT EXISTS accounts_score ON accounts (score DESC, account, end_user);
CREATE INDEX IF NOT EXISTS accounts_flagged ON accounts (flagged, score DESC);
CREATE INDEX IF NOT EXISTS accounts_campaign ON accounts (campaign);
CREATE TABLE IF NOT EXISTS findings (
  account TEXT NOT NULL,
  end_user TEXT NOT NULL DEFAULT '',
  detector TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account, end_user, detector)
);
CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, score DOUBLE PRECISION NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
  id TEXT PRIMARY KEY,
  account TEXT,
  status TEXT NOT NULL,
  created_ts BIGINT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_account ON decisions (account);
CREATE TABLE IF NOT EXISTS appeals (id TEXT PRIMARY KEY, status TEXT NOT NULL, submitted_ts BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS allowlist (id TEXT PRIMARY KEY, expires_ts BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq BIGSERIAL PRIMARY KEY, ts BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
DROP TRIGGER IF EXISTS audit_no_change ON audit;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TABLE IF NOT EXISTS scans (id TEXT PRIMARY KEY, ts BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
  file TEXT NOT NULL,
  line BIGINT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (file, line, path)
);
`;
