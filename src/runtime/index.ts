export { runEmbeddedScan } from './embedded-scan.js';
export type { EmbeddedScanOptions } from './embedded-scan.js';
export { packagePath } from './paths.js';
export { loadClusterConfig, startClusterRole, finalizeResults, persistResults, ClusterConfig, ClusterRole } from './cluster.js';
export type { RunningRole, ClusterHooks, ClusterSummary } from './cluster.js';
export { gatewayOptions } from './gateway-options.js';
export type { ProxySettings } from './gateway-options.js';
export { readConfigFile } from './config-file.js';
