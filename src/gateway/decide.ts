import type { MiddlewareHandler } from 'hono';
import type { DecisionCache } from '../ports/index.js';
import type { GatewayEnv } from './context.js';
import { ALLOW, resolveEnforcement } from './enforcement.js';
import { openAIError } from './openai-error.js';

export interface DecideOptions {
  cache: DecisionCache;
  /** When the decision source is down: serve as allowed (`open`, default) or refuse with 503 (`closed`). */
  failMode?: 'open' | 'closed';
  now?: () => number;
}

/**
 * Looks the caller's decisions up in the cache. Synchronous by design: detection is never
 * on the request path.
 * @example
 * app.use('/v1/*', decide({ cache, failMode: 'closed' }));
 */
export function decide(options: DecideOptions): MiddlewareHandler<GatewayEnv> {
  const now = options.now ?? Date.now;
  const failClosed = options.failMode === 'closed';
  return async function decideRequest(c, next) {
    const ts = now();
    const health = options.cache.health(ts);
    if (!health.ok) {
      if (failClosed) {
        return openAIError(503, 'Policy decisions are temporarily unavailable; try again shortly.', 'server_error', 'decision_source_unavailable', { 'retry-after': '5' });
      }
      c.set('enforcement', ALLOW);
      c.get('exchange')?.note('decision_source_unavailable');
      await next();
      return;
    }
    const caller = c.get('caller');
    const lookup = options.cache.lookup(
      { account: caller.account, endUser: caller.endUser, org: caller.org, ip: caller.ip, asn: caller.asn, tlsFp: caller.tlsFp },
      ts,
    );
    c.set('enforcement', resolveEnforcement(lookup));
    await next();
  };
}
