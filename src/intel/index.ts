export {
  buildStixBundle,
  bundleOf,
  definitionObjects,
  producerIdentity,
  findRawLeaks,
  rawValuesOf,
  createIntelMatcher,
  buildSightingBundle,
  createStixValidator,
  defaultSchemaDir,
  parsePattern,
  patternError,
  evaluatePattern,
  PatternSyntaxError,
  revokeObject,
  buildOpinion,
  buildNote,
  keyedHash,
  localDefaultKey,
  parseCommunityKeyRing,
  keyRingOf,
  LOCAL_DEFAULT_KEY_ID,
  TLP_LEVELS,
  tlpMarking,
  tlpMarkingId,
  tlpOfObject,
  mayShare,
  stixId,
  stixTimestamp,
  canonicalJson,
  objectVersion,
  StixObject,
  StixBundle,
  BuildInput,
  ATLAS_EXTRACT_AI_MODEL_ID,
  DISTILLATION_EXTENSION_ID,
  DISTILLATION_EXTENSION_DEFINITION,
  DISTILLATION_EXTENSION_SCHEMA,
} from './stix/index.js';
export type {
  BuildOptions,
  CommunityKey,
  CommunityKeyRing,
  IntelMatcher,
  IntelMatch,
  SightingRecord,
  StixValidator,
  ValidationIssue,
  TlpLevel,
  OpinionValue,
} from './stix/index.js';
export { loadCommunityKeyRing } from './stix/index.js';
export type { LoadedKeyRing } from './stix/index.js';
export { createTaxiiApp } from './taxii/server.js';
export type { TaxiiServerOptions } from './taxii/server.js';
export { createTaxiiClient } from './taxii/client.js';
export { listenTaxii } from './taxii/listen.js';
export type { RunningTaxiiServer } from './taxii/listen.js';
export type { TaxiiClient, TaxiiAuth, TaxiiClientOptions } from './taxii/client.js';
export { TaxiiServerConfig, TAXII_MEDIA_TYPE, STIX_MEDIA_TYPE } from './taxii/config.js';
export type { TaxiiServerConfigInput } from './taxii/config.js';
export { sha256Hex } from './taxii/auth.js';
export { publishLocal, pullFromPeer, pushToPeer, reportSightings, shareable } from './taxii/share.js';
export type { PullResult } from './taxii/share.js';
