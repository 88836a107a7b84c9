export {
  Timestamp,
  ContentPart,
  Message,
  SamplingParams,
  Usage,
  Tools,
  TrafficEvent,
  AccountRecord,
  ModelRelease,
  promptText,
  lastUserText,
  contentText,
} from './traffic-event.js';
export type { TrafficEventInput, IngestRecord } from './traffic-event.js';
export { SignalEvidence, Finding } from './finding.js';
export { Action, AccountResult } from './account-result.js';
export { AccountSketch } from './sketch.js';
export { LinkReason, CampaignEdge, Campaign } from './campaign.js';
export { DecisionTarget, Decision } from './decision.js';
export { ERROR_CATALOG, StillwatchError, UsageError } from './errors.js';
export type { ErrorKind, ErrorCode } from './errors.js';
export { encodeCursor, decodeCursor, nextCursor } from './cursor.js';
