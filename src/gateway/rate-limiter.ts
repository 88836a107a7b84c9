import { bucketSpec, charge, tryTake, type BucketSpec, type BucketState } from '../policy/index.js';

/**
 * Token-bucket counters. The in-process one below serves embedded mode; a shared store
 * (Redis) can implement the same two calls for several gateways.
 */
export interface RateLimiter {
  /** Takes `cost` from the bucket; refused with the wait in ms when it cannot. */
  take(bucket: string, spec: BucketSpec, cost: number, nowMs: number): { allowed: boolean; retryAfterMs: number };
  /** Charges a cost learnt afterwards (tokens used); may leave the bucket in debt. */
  charge(bucket: string, spec: BucketSpec, cost: number, nowMs: number): void;
  size(): number;
}

export interface MemoryRateLimiterOptions {
  /** Upper bound on buckets kept; full (idle) buckets are dropped first. */
  maxBuckets?: number;
}

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const maxBuckets = options.maxBuckets ?? 100_000;
  const buckets = new Map<string, BucketState>();

  // A bucket that has refilled to capacity holds no information; forgetting it keeps memory bounded.
  function sweep(nowMs: number, specs: (key: string) => BucketSpec | undefined): void {
    for (const [key, state] of buckets) {
      const spec = specs(key);
      if (!spec || state.tokens + (nowMs - state.updatedMs) * spec.refillPerMs >= spec.capacity) buckets.delete(key);
    }
  }
  const specOf = new Map<string, BucketSpec>();

  return {
    take(bucket, spec, cost, nowMs) {
      const r = tryTake(buckets.get(bucket), spec, cost, nowMs);
      if (!buckets.has(bucket) && buckets.size >= maxBuckets) {
        sweep(nowMs, (k) => specOf.get(k));
      }
      buckets.set(bucket, r.state);
      specOf.set(bucket, spec);
      return { allowed: r.allowed, retryAfterMs: r.retryAfterMs };
    },
    charge(bucket, spec, cost, nowMs) {
      buckets.set(bucket, charge(buckets.get(bucket), spec, cost, nowMs));
      specOf.set(bucket, spec);
    },
    size: () => buckets.size,
  };
}

export { bucketSpec };
