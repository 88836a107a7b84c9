export { runIngest } from './ingest.js';
export type { IngestOptions } from './ingest.js';
export { runWorker } from './worker.js';
export type { WorkerOptions } from './worker.js';
export { runCorrelator } from './correlator.js';
export type { CorrelatorOptions, ClusterResults } from './correlator.js';
export type { WorkerCounts } from './messages.js';
