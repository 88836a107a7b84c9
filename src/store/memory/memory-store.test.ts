import { runStoreContract } from '../contract/index.js';
import { createMemoryStore } from './index.js';

runStoreContract('memory', () => createMemoryStore());
