import type { AccountResult } from '../domain/index.js';
import type { Policy } from '../policy/index.js';
import { runCorrelator } from '../cluster/index.js';
import type { EventLog } from '../store/nats/index.js';
import {
  createPostgresStore,
  openPostgresPool,
  putDeadLetters,
  withPgRetry,
  type RetryOptions,
} from '../store/postgres/index.js';
import type { Store } from '../ports/index.js';
import { finalizeResults, writeResults, type ClusterSummary } from './cluster-results.js';
import { CoalescingWriter } from './result-writer.js';

export interface CorrelatorRoleOptions {
  url: string;
  schema?: string | undefined;
  partitions: number;
  policy: Policy;
  /** Final results (at a finish marker), after they are committed. */
  onResults?: (accounts: AccountResult[], summary: ClusterSummary) => void;
  /** Periodic results of a live stream, after they are committed. */
  onPeriodicResults?: (accounts: AccountResult[], summary: ClusterSummary) => void;
  /** A PostgreSQL error that will be retried (server restart, dropped connection). */
  onPgRetry?: (error: Error, attempt: number, delayMs: number) => void;
  /** Wraps the PostgreSQL store, e.g. to pass committed decisions on to Redis. */
  decorate?: (store: Store) => Promise<{ store: Store; close(): Promise<void> }>;
}

/**
 * The correlator role with its PostgreSQL side. PostgreSQL may restart under it: connecting,
 * and every write, are retried with backoff on connection errors (the writes are upserts, so
 * repeating one that half-succeeded is harmless), idle clients that lose their server are
 * dropped by the pool without crashing the process, and the event log keeps the correlator's
 * input meanwhile. Periodic results queue behind a waiting write (merged, so memory stays
 * bounded by the accounts that changed); a finish waits for the database: the cluster stalls
 * rather than loses results, and carries on when the database is back.
 */
export async function startCorrelatorRole(
  log: EventLog,
  opts: CorrelatorRoleOptions,
): Promise<{ done: Promise<void>; close: () => Promise<void> }> {
  const pool = openPostgresPool(opts.url, opts.schema);
  // An idle client losing its server (restart) is an 'error' event; unhandled, it would end the process.
  pool.on('error', () => undefined);
  const retry: RetryOptions = opts.onPgRetry ? { onRetry: opts.onPgRetry } : {};
  const pg: Store = await withPgRetry(
    () => createPostgresStore({ connection: pool, ...(opts.schema ? { schema: opts.schema } : {}) }),
    retry,
  );
  const decorated = opts.decorate ? await opts.decorate(pg) : null;
  const store: Store = decorated?.store ?? pg;
  const writer = new CoalescingWriter(
    (f) => withPgRetry(() => writeResults(store, f), retry),
    (f) => (f.summary.final ? opts.onResults : opts.onPeriodicResults)?.(f.accounts, f.summary),
  );
  const done = runCorrelator(log, {
    partitions: opts.partitions,
    onResults: async (r) => {
      // Finalised now: it reads campaign state the correlator changes at its next tick.
      const f = finalizeResults(r, opts.policy);
      if (r.final) await writer.final(f);
      else writer.periodic(f);
    },
    onDeadLetters: async (dead, source) => {
      await withPgRetry(
        () => putDeadLetters(pool, source === null ? 'ingest' : `worker:${source}`, dead),
        retry,
      );
    },
  });
  return {
    done,
    async close() {
      await decorated?.close();
      await pg.close();
      await pool.end();
    },
  };
}
