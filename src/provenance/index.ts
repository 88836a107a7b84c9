export type {
  TextTransformOptions,
  WatermarkKey,
  StreamingTextTransform,
  WatermarkKeyFile,
} from './types.js';
export { MIN_SECRET_BYTES, TextTransformOptionsSchema } from './types.js';
export {
  loadWatermarkKey,
  generateWatermarkKey,
  serialiseWatermarkKey,
  watermarkKeyFingerprint,
} from './key.js';
export {
  transformAnswerText,
  transformReasoningText,
  createStreamingTextTransform,
  createWatermarkStage,
} from './transform.js';
export { detectWatermark, scanOccurrences, rewriteOccurrences, WatermarkTally } from './detect.js';
export type { DetectionResult } from './detect.js';
export { defaultLexicon, buildLexicon } from './lexicon.js';
export type { Lexicon, VariantSet } from './lexicon.js';
export type { Occurrence } from './walker.js';
export { upperTail, normalUpperTail } from './stats.js';
export type { TrialGroup } from './stats.js';
