export {
  canonicalJson,
  uuidv5,
  stixId,
  stixTimestamp,
  parseStixTimestamp,
  STIX_SCO_NAMESPACE,
  STILLWATCH_NAMESPACE,
} from './ids.js';
export {
  keyedHash,
  keyedSlot,
  localDefaultKey,
  parseCommunityKeyRing,
  keyRingOf,
  LOCAL_DEFAULT_KEY_ID,
} from './keys.js';
export type { CommunityKey, CommunityKeyRing } from './keys.js';
export { loadCommunityKeyRing } from './community-key.js';
export type { LoadedKeyRing } from './community-key.js';
export {
  TLP_LEVELS,
  TLP_EXTENSION_ID,
  tlpMarking,
  tlpMarkingId,
  tlpLevelOfMarking,
  tlpOfObject,
  tlpRank,
  mayShare,
} from './tlp.js';
export type { TlpLevel } from './tlp.js';
export { ATLAS_EXTRACT_AI_MODEL, ATLAS_EXTRACT_AI_MODEL_ID } from './atlas.js';
export {
  DISTILLATION_EXTENSION_ID,
  DISTILLATION_EXTENSION_DEFINITION,
  DISTILLATION_EXTENSION_SCHEMA,
  DISTILLATION_EXTENSION_VERSION,
  PATTERN_TYPES,
  TRAFFIC_SUMMARY_TYPE,
} from './extension.js';
export {
  buildStixBundle,
  bundleOf,
  definitionObjects,
  producerIdentity,
  findRawLeaks,
  rawValuesOf,
  BuildInput,
} from './bundle.js';
export type { BuildOptions } from './bundle.js';
export { revokeObject, buildOpinion, buildNote } from './lifecycle.js';
export type { OpinionValue } from './lifecycle.js';
export { parsePattern, patternError, PatternSyntaxError } from './pattern.js';
export type { Observation, Comparison, Literal, ObjectPath } from './pattern.js';
export { evaluatePattern } from './pattern-eval.js';
export type { PatternObservation } from './pattern-eval.js';
export { createStixValidator, defaultSchemaDir, referencesOf } from './validate.js';
export type { StixValidator, ValidationIssue } from './validate.js';
export { createIntelMatcher, KIND_WEIGHTS } from './match.js';
export type { IntelMatcher, IntelMatch, SightingRecord } from './match.js';
export { buildSightingBundle } from './sightings.js';
export { minhashJaccard } from './evidence.js';
export { StixObject, StixBundle, objectVersion } from './types.js';
