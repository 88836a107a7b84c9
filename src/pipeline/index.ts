export { runScan } from './scan.js';
export type {
  ScanOptions,
  ScanOutcome,
  ScanSummary,
  ScanProgress,
  SketchMatcher,
  ActionPolicy,
} from './scan.js';
export { NdjsonWriter } from './ndjson-writer.js';
