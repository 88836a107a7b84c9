export type {
  Page,
  AccountQuery,
  CampaignQuery,
  DecisionQuery,
  AuditEntry,
  Appeal,
  AllowlistEntry,
  ScanRecord,
  Store,
} from './store.js';
