import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApiApp, parseApiTokens, serveConsole } from '../api/index.js';
import { UsageError } from '../domain/index.js';
import type { ClusterConfig, ClusterHooks, RunningRole } from './cluster.js';
import { readConfigFile } from './config-file.js';
import { openDecisionStore } from './decision-store.js';
import { packagePath } from './paths.js';

/** Resolves with the server's address once it listens. */
export function listen(
  app: { fetch: (req: Request) => Response | Promise<Response> },
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * The api role: the analyst API and console over PostgreSQL. Overrides, appeals and allowlist
 * changes are written to PostgreSQL and then published to Redis, so gateways see them.
 */
export async function startApiRole(config: ClusterConfig, hooks: ClusterHooks): Promise<RunningRole> {
  const log = hooks.log ?? (() => undefined);
  const a = config.api;
  if (!a.tokensFile)
    throw new UsageError(
      'the api role needs api.tokensFile (or STILLWATCH_API_TOKENS_FILE): who may use the API',
    );
  const tokens = parseApiTokens(readConfigFile(a.tokensFile, 'API token file'), a.tokensFile);
  const consoleDir = a.consoleDir ?? packagePath('console/dist');
  if (!existsSync(`${consoleDir}/index.html`))
    log(`api: no console build in ${consoleDir} (run \`npm run build\`); serving the API only`);
  const decisions = await openDecisionStore(config, log);
  const api = createApiApp({
    store: decisions.store,
    tokens,
    rateLimit: { perMinute: a.rateLimit },
    onUnexpectedError: (e) => log(`api: ${e instanceof Error ? e.message : 'error'}`),
  });
  const server = await listen(serveConsole({ api, distDir: consoleDir }), a.host, a.port);
  log(`api: console and API on ${server.url}/ (API under /api/v1)`);
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  return {
    url: server.url,
    done,
    async stop() {
      await server.close();
      await decisions.close();
      stopped();
    },
  };
}
