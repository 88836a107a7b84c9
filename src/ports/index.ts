export type {
  Page,
  AccountQuery,
  CampaignQuery,
  DecisionQuery,
  AuditEntry,
  Appeal,
  AllowlistEntry,
  ScanRecord,
  ActivityBucket,
  AccountStats,
  Store,
} from './store.js';
export type { CallerKeys, DecisionLookup, DecisionCacheHealth, DecisionCache, DecisionSnapshot } from './decision-cache.js';
export { NAMESPACE_PATTERN } from './decision-cache.js';
export type { EventSink } from './event-sink.js';
export type {
  IntelObjectRecord,
  NewIntelObject,
  VersionFilter,
  IntelObjectQuery,
  IntelObjectPage,
  TaxiiStatusDetail,
  TaxiiStatusRecord,
  IntelPeerState,
  IntelStore,
} from './intel-store.js';
