import type { AccountResult, Campaign, Decision } from '../domain/index.js';

export interface Page<T> {
  items: T[];
  total: number;
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
}

export interface AccountQuery {
  flagged?: boolean;
  campaign?: string;
  minScore?: number;
  /** Substring match on the account id. */
  search?: string;
  sort?: 'score' | 'exchanges' | 'account';
  limit: number;
  cursor?: string | null;
}

export interface CampaignQuery {
  minScore?: number;
  limit: number;
  cursor?: string | null;
}

export interface DecisionQuery {
  account?: string;
  status?: Decision['status'];
  limit: number;
  cursor?: string | null;
}

export interface AuditEntry {
  seq?: number;
  ts: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface Appeal {
  id: string;
  decision_id: string;
  account: string;
  submitted_ts: number;
  message: string;
  status: 'pending' | 'upheld' | 'overturned';
  resolved_ts: number | null;
  resolver: string | null;
  resolution_reason: string | null;
}

export interface AllowlistEntry {
  id: string;
  /** e.g. "account:acme-research" or "org:acme". */
  subject: string;
  owner: string;
  reason: string;
  created_ts: number;
  expires_ts: number;
}

/** One time bucket of the overview series (epoch ms at the bucket start). */
export interface ActivityBucket {
  ts: number;
  /** Accounts (or end users) first seen in this bucket. */
  first_seen: number;
  /** Accounts first flagged in this bucket. */
  flagged: number;
  /** Exchanges of the accounts first seen in this bucket (their whole activity, attributed to first sight). */
  exchanges: number;
}

/** Counts for the console's overview, computed by the store so nothing is loaded whole. */
export interface AccountStats {
  accounts: number;
  flagged: number;
  by_action: Record<string, number>;
}

export interface ScanRecord {
  id: string;
  ts: number;
  summary: Record<string, unknown>;
}

/**
 * Everything the system keeps. The embedded default is SQLite; the scale-out mode uses
 * PostgreSQL. Every adapter passes `runStoreContract` in `store/contract/`.
 */
export interface Store {
  readonly kind: string;
  putAccounts(results: readonly AccountResult[]): Promise<void>;
  getAccount(account: string, endUser?: string): Promise<AccountResult | null>;
  listAccounts(query: AccountQuery): Promise<Page<AccountResult>>;
  /** Read-only aggregate: accounts first seen / first flagged per `bucketMs` bucket, oldest first, empty buckets omitted. */
  accountActivity(bucketMs: number): Promise<ActivityBucket[]>;
  /** Read-only aggregate: totals and the count of accounts per recommended action. */
  accountStats(): Promise<AccountStats>;

  putCampaigns(campaigns: readonly Campaign[]): Promise<void>;
  getCampaign(id: string): Promise<Campaign | null>;
  listCampaigns(query: CampaignQuery): Promise<Page<Campaign>>;

  putDecision(decision: Decision): Promise<void>;
  getDecision(id: string): Promise<Decision | null>;
  listDecisions(query: DecisionQuery): Promise<Page<Decision>>;

  putAppeal(appeal: Appeal): Promise<void>;
  getAppeal(id: string): Promise<Appeal | null>;
  listAppeals(query: {
    status?: Appeal['status'];
    limit: number;
    cursor?: string | null;
  }): Promise<Page<Appeal>>;

  putAllowlist(entry: AllowlistEntry): Promise<void>;
  deleteAllowlist(id: string): Promise<boolean>;
  listAllowlist(nowTs: number): Promise<AllowlistEntry[]>;

  /** Append-only: entries are never updated or deleted. Returns the assigned sequence number. */
  appendAudit(entry: AuditEntry): Promise<number>;
  listAudit(query: { limit: number; cursor?: string | null }): Promise<Page<AuditEntry>>;

  putScan(scan: ScanRecord): Promise<void>;
  listScans(): Promise<ScanRecord[]>;

  close(): Promise<void>;
}
