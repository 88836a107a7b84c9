import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { StillwatchError } from '../domain/index.js';
import type { Store } from '../ports/index.js';
import { authenticate, type ApiTokenEntry } from './auth.js';
import type { ApiDeps, ApiEnv } from './context.js';
import { apiErrorHandler } from './errors.js';
import { allowlistRouter } from './routes/allowlist.js';
import { appealsRouter } from './routes/appeals.js';
import { auditRouter } from './routes/audit.js';
import { decisionsRouter } from './routes/decisions.js';
import { openApiDocument } from './openapi.js';
import { rateLimit, type RateLimitOptions } from './rate-limit.js';
import { accountsRouter } from './routes/accounts.js';
import { campaignsRouter } from './routes/campaigns.js';
import { findingsRouter } from './routes/findings.js';
import { intelRouter, type IntelRouterOptions } from './routes/intel.js';
import { overviewRouter } from './routes/overview.js';

export interface ApiOptions {
  store: Store;
  tokens: readonly ApiTokenEntry[];
  now?: () => number;
  newId?: (prefix: string) => string;
  /** Called with unexpected errors (for the log); never with tokens or request bodies. */
  onUnexpectedError?: (err: unknown) => void;
  /** Per-principal token bucket (default 600 requests a minute, writes cost 5); false to disable. */
  rateLimit?: RateLimitOptions | false;
  /** Serves /v1/intel when given. */
  intel?: IntelRouterOptions;
}

/**
 * The authenticated decisions API: one router per resource behind a shared auth middleware,
 * and one error handler mapping domain errors to HTTP.
 * @example
 * const api = createApiApp({ store: createMemoryStore(), tokens });
 * const res = await api.request('/v1/decisions', { headers: { authorization: 'Bearer …' } });
 */
export function createApiApp(options: ApiOptions): Hono<ApiEnv> {
  const deps: ApiDeps = {
    store: options.store,
    now: options.now ?? Date.now,
    newId: options.newId ?? ((prefix) => `${prefix}_${randomUUID()}`),
  };
  const app = new Hono<ApiEnv>();
  app.use('/v1/*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('/v1/*', authenticate({ tokens: options.tokens }));
  if (options.rateLimit !== false) app.use('/v1/*', rateLimit({ now: deps.now, ...(options.rateLimit ?? { perMinute: 600 }) }));
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.route('/v1', overviewRouter());
  app.route('/v1/accounts', accountsRouter());
  app.route('/v1/campaigns', campaignsRouter());
  app.route('/v1/findings', findingsRouter());
  if (options.intel) app.route('/v1/intel', intelRouter(options.intel));
  app.route('/v1/decisions', decisionsRouter());
  app.route('/v1/allowlist', allowlistRouter());
  app.route('/v1/appeals', appealsRouter());
  app.route('/v1/audit', auditRouter());
  app.notFound(() => {
    throw new StillwatchError('NOT_FOUND', 'no such route');
  });
  app.onError(apiErrorHandler(options.onUnexpectedError));
  return app;
}
