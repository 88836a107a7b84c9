export { createSqliteStore } from './sqlite-store.js';
export { createSqliteIntelStore } from './intel-store.js';
