export { hashString, combineHash, fmix32, hex32, unitInterval } from './hash.js';
export { mulberry32 } from './random.js';
export { tokenHashes } from './tokenize.js';
export {
  minhash,
  templateMinhash,
  minhashSimilarity,
  lshBandKeys,
  signatureOfTokens,
  MINHASH_SIZE,
  LSH_BANDS,
  TEMPLATE_WINDOW,
} from './minhash.js';
export { TopK } from './top-k.js';
export { HyperLogLog } from './hyperloglog.js';
export { BottomK } from './reservoir.js';
export { redactPrompt, SAMPLE_CHARS } from './redact.js';
export { LEXICAL_DIM, lexicalVector, mmdToBaseline } from './lexical.js';
export {
  REASONING_ELICITATION,
  STRUCTURED_REASONING,
  GRADING,
  SAFETY_PROBING,
  CATEGORIES,
  classifyCategory,
  textCues,
} from './text-signals.js';
export type { Category, CategoryHints, TextCues } from './text-signals.js';
export { eventFacts, textFeatures, requestText } from './event-facts.js';
export type { EventFacts, TextFeatures } from './event-facts.js';
export { SampleState, MAX_TEMPLATES, TEMPLATE_JOIN } from './sample-state.js';
export { UnitState, subnetOf, normaliseAsn, SAMPLE_BASE, MAX_ACTIVITY_HOURS, MAX_TOKENS_CAP } from './unit-state.js';
export type { ReleaseWindow } from './unit-state.js';
export { deriveFeatures } from './account-features.js';
export type { AccountFeatures, AccountMeta, LexicalBaseline, SampleEvidence } from './account-features.js';
