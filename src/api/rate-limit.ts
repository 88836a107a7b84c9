import type { MiddlewareHandler } from 'hono';
import { bucketSpec, tryTake, type BucketState } from '../policy/index.js';
import type { ApiEnv } from './context.js';

export interface RateLimitOptions {
  /** Sustained requests per minute per principal. */
  perMinute: number;
  /** Writes cost this many tokens (they touch the store and the audit log). */
  writeCost?: number;
  now?: () => number;
  /** Most principals tracked; the oldest bucket is dropped beyond it (tokens are few, so rarely). */
  maxPrincipals?: number;
}

/**
 * A token bucket per authenticated principal (never per IP: analysts share NATs, and an
 * unauthenticated request never reaches here). Refusals are 429 with Retry-After, so a
 * runaway script on one token cannot starve the other analysts.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<ApiEnv> {
  const spec = bucketSpec(options.perMinute);
  const writeCost = options.writeCost ?? 5;
  const now = options.now ?? Date.now;
  const max = options.maxPrincipals ?? 10_000;
  const buckets = new Map<string, BucketState>();
  return async function limitRate(c, next) {
    const who = c.get('principal').name;
    const cost = c.req.method === 'GET' || c.req.method === 'HEAD' ? 1 : writeCost;
    const r = tryTake(buckets.get(who), spec, cost, now());
    buckets.delete(who);
    buckets.set(who, r.state);
    if (buckets.size > max) {
      const oldest = buckets.keys().next();
      if (!oldest.done) buckets.delete(oldest.value);
    }
    c.header('x-ratelimit-remaining', String(Math.max(0, Math.floor(r.state.tokens))));
    if (!r.allowed) {
      c.header('retry-after', String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))));
      return c.json({ error: { code: 'RATE_LIMITED', message: 'too many requests: slow down' } }, 429);
    }
    await next();
  };
}
