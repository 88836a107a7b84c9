import { UsageError } from '../domain/index.js';
import {
  createMemoryDecisionCache,
  createNdjsonFileSink,
  parseKeyMap,
  startGateway,
} from '../gateway/index.js';
import { policyAllowlist } from '../policy/index.js';
import { createRedisDecisionCache } from '../store/redis/index.js';
import { readConfigFile } from './config-file.js';
import type { ClusterConfig, ClusterHooks, RunningRole } from './cluster.js';
import { describeRedisEvent, redisNamespace } from './decision-store.js';
import { gatewayOptions } from './gateway-options.js';
import { readPolicy } from './policy-file.js';

/**
 * The gateway role: the enforcement proxy, reading decisions from Redis through an in-process
 * mirror. It starts even when Redis is down (then the configured fail mode applies until the
 * first load) so a Redis outage never stops gateways from coming up.
 */
export async function startGatewayRole(config: ClusterConfig, hooks: ClusterHooks): Promise<RunningRole> {
  const log = hooks.log ?? (() => undefined);
  const g = config.gateway;
  if (!g.upstream)
    throw new UsageError('the gateway role needs gateway.upstream (or STILLWATCH_GATEWAY_UPSTREAM)');
  if (!g.keysFile)
    throw new UsageError('the gateway role needs gateway.keysFile (or STILLWATCH_GATEWAY_KEYS_FILE)');
  const keys = parseKeyMap(readConfigFile(g.keysFile, 'key map'), g.keysFile);
  const cache = createRedisDecisionCache({
    url: config.redis.url,
    namespace: redisNamespace(config),
    mirror: createMemoryDecisionCache(),
    maxStalenessMs: config.redis.maxStalenessMs,
    refreshMs: config.redis.refreshMs,
    extraAllowlist: policyAllowlist(readPolicy(config.policyFile)),
    onEvent: (e) => log(describeRedisEvent(e)),
  });
  if (!(await cache.start()))
    log(`gateway: no decisions loaded from Redis yet; failing ${config.redis.failMode} until they are`);
  const sink = createNdjsonFileSink(g.eventsFile, {
    onError: (e) => log(`gateway: event sink: ${e.message}`),
  });
  const gw = await startGateway(
    gatewayOptions(
      // `upstream` again: the spread keeps it optional, the check above made it a string.
      { ...g, upstream: g.upstream },
      {
        keys,
        cache,
        sink,
        failMode: config.redis.failMode,
        onError: (e) => log(`gateway: request failed: ${e.name}: ${e.message}`),
      },
    ),
    { port: g.port, hostname: g.host },
  );
  log(
    `gateway: listening on ${gw.url} → ${g.upstream}; ${keys.size()} API keys; fail ${config.redis.failMode} after ${config.redis.maxStalenessMs} ms without Redis`,
  );
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  return {
    url: gw.url,
    done,
    async stop() {
      await gw.close();
      await cache.close();
      await sink.close();
      stopped();
    },
  };
}
