export { createMemoryStore } from './memory-store.js';
export { createMemoryIntelStore } from './intel-store.js';
