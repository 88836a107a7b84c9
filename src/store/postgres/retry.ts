/**
 * Retrying PostgreSQL work across a server restart or a dropped connection. Only errors that
 * say the connection or the server went away are retried: a constraint violation or a syntax
 * error would fail the same way forever. The work retried must be idempotent (the cluster's
 * writes are upserts keyed by account, campaign, decision or dead-letter location).
 */

/** SQLSTATE classes and codes that mean "try again later": connection exceptions (08), shutdown (57P01–57P03), too many connections (53300). */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const TRANSIENT_TEXT =
  /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|terminating connection|the database system is (?:starting up|shutting down)|timeout exceeded when trying to connect/i;

export function isTransientPgError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || TRANSIENT_CODES.has(code) || TRANSIENT_NODE.has(code))
  )
    return true;
  if (e instanceof AggregateError && e.errors.some(isTransientPgError)) return true;
  return TRANSIENT_TEXT.test(e.message);
}

export interface RetryOptions {
  /** First delay; doubled after each failure up to `maxDelayMs` (default 100 ms → 5 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this long without success (default: never; a cluster role waits for its database). */
  giveUpAfterMs?: number;
  signal?: AbortSignal;
  /** Told about each failure that will be retried (logging, tests). */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

/** Runs `work` until it succeeds, retrying transient PostgreSQL errors with exponential backoff and jitter. */
export async function withPgRetry<T>(work: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const max = opts.maxDelayMs ?? 5_000;
  let delay = opts.initialDelayMs ?? 100;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isTransientPgError(e) || opts.signal?.aborted) throw e;
      if (opts.giveUpAfterMs !== undefined && Date.now() - started > opts.giveUpAfterMs) throw e;
      // Jitter keeps several roles from reconnecting in lockstep after a restart.
      const wait = Math.round(delay * (0.75 + Math.random() * 0.5));
      opts.onRetry?.(e as Error, attempt, wait);
      await new Promise((r) => setTimeout(r, wait));
      delay = Math.min(max, delay * 2);
    }
  }
}
