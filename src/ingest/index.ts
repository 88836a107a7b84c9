export { Ingestor } from './ingest.js';
export type { IngestOptions } from './ingest.js';
export { DedupWindow, hash52 } from './dedup.js';
export { MAX_LINE_BYTES, openByteStream, splitLines, splitLineRegions, decodeLineBatch, decodeRegion } from './line-reader.js';
export type { LineItem, LineRegion } from './line-reader.js';
export { expandInputs } from './inputs.js';
export { sniffFileFormat } from './sniff-file.js';
export { FORMAT_NAMES, emptyCounts } from './types.js';
export type {
  DeadLetter,
  FormatName,
  IngestCounts,
  SourceFormat,
  Candidate,
  ConvertProblem,
  Location,
} from './types.js';
export { validateCandidate } from './validate.js';
export { deadLetterOf, deadLetterOfBadLine } from './dead-letter.js';
