export { loadPolicy, PolicyError } from './load.js';
export type { PolicyIssue } from './load.js';
export {
  Duration,
  PolicyDocument,
  Rule,
  Condition,
  ThrottleParams,
  DegradeParams,
  InfraKind,
} from './schema.js';
export type { Policy, Then } from './schema.js';
export { evaluatePolicy, strongestAction, actionSeverity, targetKey, policyDecisionId } from './evaluate.js';
export type { AccountSubject, CampaignSubject, PolicySubject } from './evaluate.js';
export { evaluateCondition, resolveField, renderTemplate } from './conditions.js';
export type { FieldContext } from './conditions.js';
export { findAllowlisted, allowlistKeys, policyAllowlist } from './allowlist.js';
export type { AllowlistCaller } from './allowlist.js';
export { normaliseInfra, campaignInfrastructure } from './infrastructure.js';
export type { InfraIndex } from './infrastructure.js';
export { bucketSpec, refill, tryTake, charge } from './token-bucket.js';
export type { BucketSpec, BucketState, TakeResult } from './token-bucket.js';
export { enforceableDecisions, allCampaigns } from './decision-source.js';
