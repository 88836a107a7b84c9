export { runScan } from './scan.js';
export type { ScanOutcome, ScanSummary } from './scan.js';
export type { ScanOptions, ScanProgress, ActionPolicy } from './core.js';
export type { SketchMatcher, Flag } from './correlation-pass.js';
export { NdjsonWriter } from './ndjson-writer.js';
export { partitionOf, rawRoute, rawStringField, rawTs } from './partition-protocol.js';
export { correlationPass, PassClock } from './correlation-pass.js';
export { CorrelationDriver } from './correlation-driver.js';
export { ExternalFlags } from './external-flags.js';
