export { createPostgresStore, openPostgresPool, quoteIdent } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { listDeadLetters, putDeadLetters } from './dead-letters.js';
export type { StoredDeadLetter } from './dead-letters.js';
export { isTransientPgError, withPgRetry } from './retry.js';
export type { RetryOptions } from './retry.js';
