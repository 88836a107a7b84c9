import { Hono } from 'hono';
import type { DecisionCache } from '../ports/index.js';
import type { EventSink } from '../ports/index.js';
import { readBody } from './body.js';
import type { GatewayEnv } from './context.js';
import { decide } from './decide.js';
import { degrade, type TextTransformer } from './degrade/index.js';
import { enforce } from './enforce.js';
import { identify, type IdentifyOptions } from './identify.js';
import type { KeyResolver } from './keys.js';
import { openAIError } from './openai-error.js';
import { proxy } from './proxy.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import { record } from './record.js';
import type { UpstreamClient } from './upstream.js';

export interface GatewayOptions {
  upstream: string;
  keys: KeyResolver;
  cache: DecisionCache;
  sink: EventSink;
  failMode?: 'open' | 'closed';
  limiter?: RateLimiter;
  transformer?: TextTransformer;
  watermarkKey?: { id: string; secret: Uint8Array };
  unknownKeys?: IdentifyOptions['unknownKeys'];
  endUserHeader?: string;
  trustedHeaders?: IdentifyOptions['trustedHeaders'];
  headersTimeoutMs?: number;
  challengeUrl?: string;
  appealUrl?: string;
  /** Upstream HTTP client (keep-alive agents); one is created when not given. */
  client?: UpstreamClient;
  now?: () => number;
  /** Told about unexpected failures (the response is a generic 500); never given keys or bodies. */
  onError?: (err: Error) => void;
}

/**
 * The gateway as a Hono app. Requests flow identify → read body → record → decide →
 * enforce → degrade → proxy; the response then flows back through the degrade and record
 * stages inline (see docs/POLICY.md, "Gateway").
 * @example
 * const app = createGatewayApp({ upstream: 'http://127.0.0.1:8000', keys, cache, sink });
 * const res = await app.request('/v1/chat/completions', { method: 'POST', headers, body });
 */
export function createGatewayApp(o: GatewayOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const limiter = o.limiter ?? createMemoryRateLimiter();
  app.use(
    '*',
    identify({ keys: o.keys, unknownKeys: o.unknownKeys, endUserHeader: o.endUserHeader, trustedHeaders: o.trustedHeaders }),
  );
  app.use('*', readBody());
  app.use('*', record({ sink: o.sink }));
  app.use('*', decide({ cache: o.cache, failMode: o.failMode, now: o.now }));
  app.use('*', enforce({ limiter, challengeUrl: o.challengeUrl, appealUrl: o.appealUrl, now: o.now }));
  app.use('*', degrade({ transformer: o.transformer, watermarkKey: o.watermarkKey }));
  const dropHeaders = [o.endUserHeader ?? 'x-stillwatch-end-user', ...Object.values(o.trustedHeaders ?? {})];
  app.all('*', proxy({ upstream: o.upstream, headersTimeoutMs: o.headersTimeoutMs, client: o.client, dropHeaders }));
  // One place maps unexpected failures to an OpenAI-format error; details stay in the log, not the response.
  app.onError((err) => {
    o.onError?.(err);
    return openAIError(500, 'The gateway failed to handle the request.', 'server_error', 'gateway_error');
  });
  return app;
}
