import type { DecisionCache } from '../ports/index.js';
import type { Caller } from './context.js';
import { ALLOW, resolveEnforcement, type Enforcement } from './enforcement.js';
import type { Exchange } from './exchange.js';
import { openAIError, type Reply } from './openai-error.js';

export interface DecideOptions {
  cache: DecisionCache;
  /** When the decision source is down: serve as allowed (`open`, default) or refuse with 503 (`closed`). */
  failMode?: 'open' | 'closed';
  now?: () => number;
}

/**
 * Looks the caller's decisions up in the cache. Synchronous by design: detection is never
 * on the request path. Returns the 503 to send when the source is down and failing closed.
 * @example
 * const decide = createDecider({ cache, failMode: 'closed' });
 * const e = decide(caller, exchange); // Enforcement | Reply
 */
export function createDecider(options: DecideOptions): (caller: Caller, x: Exchange | undefined) => Enforcement | Reply {
  const now = options.now ?? Date.now;
  const failClosed = options.failMode === 'closed';
  return function decideRequest(caller, x) {
    const ts = now();
    const health = options.cache.health(ts);
    if (!health.ok) {
      if (failClosed) {
        return openAIError(503, 'Policy decisions are temporarily unavailable; try again shortly.', 'server_error', 'decision_source_unavailable', { 'retry-after': '5' });
      }
      x?.note('decision_source_unavailable');
      return ALLOW;
    }
    const lookup = options.cache.lookup({ account: caller.account, endUser: caller.endUser, org: caller.org, ip: caller.ip, asn: caller.asn, tlsFp: caller.tlsFp }, ts);
    return resolveEnforcement(lookup);
  };
}
