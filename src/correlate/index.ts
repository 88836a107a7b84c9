export { createCorrelationStage } from './stage.js';
export type { CorrelationStage, CampaignFlag } from './stage.js';
export { DEFAULT_OPTIONS, resolveOptions } from './options.js';
export type { CorrelationOptions, CorrelationOverrides } from './options.js';
export { scoreCampaign, activitySync } from './score.js';
export type { CampaignSignals, ScoreParams } from './score.js';
export { sketchKeys, KEY_KINDS, BASE_WEIGHT, FAMILY_CAP, FAMILY_OF } from './keys.js';
export type { KeyKind, KeyFamily } from './keys.js';
export { pairWeight, edgeReasons } from './evidence.js';
