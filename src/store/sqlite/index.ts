export { createSqliteStore } from './sqlite-store.js';
