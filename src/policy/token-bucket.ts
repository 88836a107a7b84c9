/**
 * Token buckets as pure functions over plain state, so the same arithmetic serves the
 * in-process limiter and any shared (e.g. Redis) counter store.
 */
export interface BucketSpec {
  /** Most tokens the bucket holds (the burst). */
  capacity: number;
  /** Tokens added per millisecond. */
  refillPerMs: number;
}

export interface BucketState {
  tokens: number;
  updatedMs: number;
}

export interface TakeResult {
  allowed: boolean;
  state: BucketState;
  /** When refused: milliseconds until the bucket holds enough; 0 when allowed. */
  retryAfterMs: number;
}

/** A bucket that refills `perMinute` tokens a minute and holds `burst` minutes' worth. */
export function bucketSpec(perMinute: number, burst = 1): BucketSpec {
  if (!(perMinute > 0)) throw new RangeError('perMinute must be positive');
  return { capacity: Math.max(1, perMinute * burst), refillPerMs: perMinute / 60_000 };
}

/** State after refilling up to `nowMs`; a fresh bucket starts full. Clock going backwards adds nothing. */
export function refill(state: BucketState | undefined, spec: BucketSpec, nowMs: number): BucketState {
  if (!state) return { tokens: spec.capacity, updatedMs: nowMs };
  const elapsed = Math.max(0, nowMs - state.updatedMs);
  return { tokens: Math.min(spec.capacity, state.tokens + elapsed * spec.refillPerMs), updatedMs: Math.max(nowMs, state.updatedMs) };
}

/**
 * Takes `cost` tokens if the bucket holds them. With `cost` 0 it only checks that the
 * bucket is not in debt (the token bucket is charged after the response, see `charge`).
 */
export function tryTake(state: BucketState | undefined, spec: BucketSpec, cost: number, nowMs: number): TakeResult {
  const s = refill(state, spec, nowMs);
  if (s.tokens >= cost) {
    return { allowed: true, state: { tokens: s.tokens - cost, updatedMs: s.updatedMs }, retryAfterMs: 0 };
  }
  const deficit = Math.min(cost, spec.capacity) - s.tokens;
  return { allowed: false, state: s, retryAfterMs: Math.ceil(deficit / spec.refillPerMs) };
}

/**
 * Charges a cost known only afterwards (tokens used by a response). The bucket may go into
 * debt, bounded at one capacity, so one huge response delays the next requests but is not forgiven.
 */
export function charge(state: BucketState | undefined, spec: BucketSpec, cost: number, nowMs: number): BucketState {
  const s = refill(state, spec, nowMs);
  return { tokens: Math.max(-spec.capacity, s.tokens - cost), updatedMs: s.updatedMs };
}
