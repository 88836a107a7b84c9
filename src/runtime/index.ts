export { runEmbeddedScan } from './embedded-scan.js';
export type { EmbeddedScanOptions } from './embedded-scan.js';
export { packagePath } from './paths.js';
