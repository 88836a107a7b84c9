export { createAccountStage, scoringContext, MAX_END_USERS, SKETCH_REFRESH_MS } from './stage.js';
export type { AccountStage, DirtyDrain } from './stage.js';
export {
  Calibration,
  loadCalibration,
  FALLBACK_CALIBRATION,
  DEFAULT_WEIGHTS,
  FAMILIES,
} from './calibration.js';
export {
  combineScore,
  familyScores,
  singleFamilyMax,
  combineSettings,
  MAX_TRUST_DISCOUNT,
} from './combine.js';
export { bindDetectors, DETECTOR_DEFINITIONS } from './registry.js';
export type { BoundDetector } from './registry.js';
export type { DetectorDefinition, DetectFn, DetectContext, SignalBaseline, Family } from './types.js';
export { fitCalibration, quantile } from './fit.js';
export type { FitOptions, FitReport, RecordSource } from './fit.js';
