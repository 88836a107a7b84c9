export { runStoreContract, sampleAccount } from './store-contract.js';
