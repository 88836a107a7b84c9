import type { Enforcement, ThrottleRule } from './enforcement.js';
import type { Exchange } from './exchange.js';
import { bucketSpec, type RateLimiter } from './rate-limiter.js';
import { openAIError, type Reply } from './openai-error.js';

export interface EnforceOptions {
  limiter: RateLimiter;
  /** Where a challenged caller completes step-up verification. */
  challengeUrl?: string;
  /** Where a blocked caller can appeal; included in the error message. */
  appealUrl?: string;
  now?: () => number;
}

/**
 * Applies block, challenge and throttle: returns the refusal to send, or null to go on.
 * Degradation is left to the degrade stage, and the token bucket is charged when the
 * exchange ends, once usage is known.
 * @example
 * const enforce = createEnforcer({ limiter: createMemoryRateLimiter() });
 * const refusal = enforce(enforcement, exchange); // Reply | null
 */
export function createEnforcer(options: EnforceOptions): (e: Enforcement, x: Exchange | undefined) => Reply | null {
  const now = options.now ?? Date.now;
  const appeal = options.appealUrl ? ` To appeal, see ${options.appealUrl}.` : '';
  return function enforceDecision(e, x) {
    if (e.block) {
      const d = e.block;
      return openAIError(403, `Access denied by policy (decision ${d.id}).${appeal}`, 'permission_error', 'access_denied_by_policy', {}, { decision_id: d.id });
    }
    if (e.challenge) {
      const d = e.challenge;
      const url = options.challengeUrl ?? '';
      return openAIError(403, `Additional verification is required (decision ${d.id}).${url ? ` Verify at ${url}.` : ''}`, 'permission_error', 'verification_required', url ? { 'x-stillwatch-challenge': url } : {}, { decision_id: d.id });
    }
    if (e.throttles.length > 0) {
      const ts = now();
      chargeTokensWhenDone(x, e.throttles, options.limiter, now);
      let wait = 0;
      for (const t of e.throttles) {
        if (t.rpm !== undefined) {
          const r = options.limiter.take(`${t.bucket}#req`, bucketSpec(t.rpm, t.burst), 1, ts);
          if (!r.allowed) wait = Math.max(wait, r.retryAfterMs);
        }
        if (t.tpm !== undefined) {
          const r = options.limiter.take(`${t.bucket}#tok`, bucketSpec(t.tpm, t.burst), 0, ts);
          if (!r.allowed) wait = Math.max(wait, r.retryAfterMs);
        }
      }
      if (wait > 0) {
        const seconds = Math.max(1, Math.ceil(wait / 1000));
        return openAIError(429, `Rate limit reached for this account by policy. Retry after ${seconds}s.`, 'rate_limit_error', 'rate_limit_exceeded', {
          'retry-after': String(seconds),
          'retry-after-ms': String(Math.ceil(wait)),
        });
      }
    }
    return null;
  };
}

/** Tokens an exchange used: the upstream's usage, or an estimate (4 characters a token) without one. */
export function tokensUsed(x: Exchange): number {
  const u = x.usage;
  if (u && (u.input_tokens !== undefined || u.output_tokens !== undefined)) return (u.input_tokens ?? 0) + (u.output_tokens ?? 0);
  return Math.ceil(x.output.length / 4);
}

function chargeTokensWhenDone(x: Exchange | undefined, throttles: readonly ThrottleRule[], limiter: RateLimiter, now: () => number): void {
  if (!x) return;
  x.onDone((done) => {
    const used = tokensUsed(done);
    if (used <= 0) return;
    for (const t of throttles) if (t.tpm !== undefined) limiter.charge(`${t.bucket}#tok`, bucketSpec(t.tpm, t.burst), used, now());
  });
}
