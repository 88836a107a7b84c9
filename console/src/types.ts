// Shapes of the API's responses (see /api/openapi.json).
export interface Signal { value: number; baseline?: number; baseline_note?: string; unit?: string }
export interface Finding { detector: string; score: number; explanation: string; signals: Record<string, Signal>; event_ids: string[]; sample_prompts: string[] }
export interface AccountSummary { account: string; end_user?: string; score: number; flagged: boolean; action: string; campaign: string | null; exchanges: number; first_seen_ts: number; last_seen_ts: number; first_flagged_ts: number | null; detectors: { detector: string; score: number }[] }
export interface Account extends Omit<AccountSummary, 'detectors'> { reasons: Finding[]; exchanges_before_flag: number | null }
export interface LinkReason { kind: string; value: string; weight: number }
export interface Edge { a: string; b: string; weight: number; reasons: LinkReason[] }
export interface CampaignSummary { id: string; score: number; size: number; exchanges: number; first_seen_ts: number; last_seen_ts: number; first_flagged_ts: number | null; explanation: string; link_kinds: string[]; signals: Record<string, number> }
export interface Bucket { ts: number; first_seen: number; flagged: number; exchanges: number }
export interface CampaignAnalysis {
  campaign: Omit<CampaignSummary, 'link_kinds'>;
  members_total: number;
  members_read: number;
  timeline: Bucket[];
  bucket_ms: number;
  volume: { account: string; end_user: string | null; exchanges: number; score: number; flagged: boolean; action: string }[];
  capabilities: { name: string; share: number; accounts: number }[];
  detectors: { name: string; share: number; accounts: number }[];
  evidence: { account: string; end_user: string | null; detector: string; score: number; explanation: string; signals: Record<string, Signal>; event_ids: string[]; sample_prompts: string[] }[];
  link_reasons: { kind: string; edges: number; weight: number }[];
  edges: Edge[];
  edges_total: number;
}
export type Target = { kind: 'account'; account: string } | { kind: 'end_user'; account: string; end_user: string } | { kind: 'campaign'; campaign: string } | { kind: 'ip' | 'cidr' | 'asn' | 'tls_fp'; value: string };
export interface Decision { id: string; target: Target; action: string; reasons: string[]; source: string; created_ts: number; expires_ts: number | null; params: Record<string, unknown>; status: string }
export interface Appeal { id: string; decision_id: string; account: string; submitted_ts: number; message: string; status: string; resolved_ts: number | null; resolver: string | null; resolution_reason: string | null }
export interface AllowlistEntry { id: string; subject: string; owner: string; reason: string; created_ts: number; expires_ts: number }
export interface AuditEntry { seq: number; ts: number; actor: string; action: string; target: string; detail: Record<string, unknown> }
export interface Overview { accounts: number; flagged: number; recommended: Record<string, number>; bucket_ms: number; activity: Bucket[]; top_campaigns: CampaignSummary[]; campaigns_total: number; decisions: Record<string, number>; appeals_pending: number }
export interface Me { name: string; role: string; permissions: string[] }
export interface IntelCollection { id: string; direction: 'shared' | 'received'; peer: string | null; last_pull_ts: number | null }
export interface IntelObject { collection: string; id: string; type: string; version: string; date_added: number; added_by: string; tlp: string | null; object: Record<string, unknown> }
