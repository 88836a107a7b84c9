export { createRedisDecisionCache } from './decision-cache.js';
export type { RedisDecisionCache, RedisDecisionCacheOptions, DecisionMirror } from './decision-cache.js';
export { createRedisDecisionPublisher } from './publisher.js';
export type {
  RedisDecisionPublisher,
  RedisDecisionPublisherOptions,
  RedisPublisherStatus,
} from './publisher.js';
export { createPublishingStore } from './publishing-store.js';
export { redisKeys, HASH_KINDS } from './keys.js';
export type { RedisKeys, HashKind } from './keys.js';
export {
  decisionOp,
  allowlistOp,
  allowlistRemovalOp,
  campaignOp,
  accountOrgOp,
  isLiveDecision,
} from './ops.js';
export type { CacheOp } from './ops.js';
export { redactRedisUrl } from './client.js';
export type { RedisCacheEvent, RedisEventSink } from './events.js';
