import type { Store } from '../ports/index.js';
import { createPostgresStore } from '../store/postgres/index.js';
import {
  createPublishingStore,
  createRedisDecisionPublisher,
  type RedisCacheEvent,
  type RedisDecisionPublisher,
} from '../store/redis/index.js';
import type { ClusterConfig } from './cluster.js';

export interface DecisionStore {
  /** PostgreSQL, with every decision, allowlist and campaign write passed on to Redis after it commits. */
  store: Store;
  publisher: RedisDecisionPublisher;
  close(): Promise<void>;
}

/** One line per Redis event, for the roles' logs (URLs are already redacted). */
export function describeRedisEvent(e: RedisCacheEvent): string {
  switch (e.type) {
    case 'unavailable':
      return `redis ${e.role}: unavailable: ${e.error}`;
    case 'recovered':
      return `redis ${e.role}: reachable again`;
    case 'loaded':
      return `redis cache: loaded ${e.decisions} decisions (version ${e.version}) in ${e.ms} ms`;
    case 'resynced':
      return `redis publisher: resynced from PostgreSQL, ${e.changed} fields changed (version ${e.version}) in ${e.ms} ms`;
    case 'invalid-entry':
      return `redis cache: skipped an invalid ${e.kind} entry ${JSON.stringify(e.field)}`;
  }
}

export const redisNamespace = (config: ClusterConfig): string => config.redis.namespace ?? config.nats.ns;

/**
 * The store of every role that writes decisions (correlator, api): PostgreSQL first, as the
 * source of truth, then Redis for the gateways. Starting does not wait for Redis to be up.
 */
export async function openDecisionStore(
  config: ClusterConfig,
  log: (line: string) => void,
): Promise<DecisionStore> {
  const pg = await createPostgresStore({
    connection: config.postgres.url,
    ...(config.postgres.schema ? { schema: config.postgres.schema } : {}),
  });
  const published = await publishDecisions(config, pg, log);
  return {
    ...published,
    async close() {
      await published.close();
      await pg.close();
    },
  };
}

/**
 * Wraps a PostgreSQL store so its committed decision, allowlist and campaign writes reach Redis
 * too. `close` stops the publisher only: the caller owns the PostgreSQL store.
 */
export async function publishDecisions(
  config: ClusterConfig,
  pg: Store,
  log: (line: string) => void,
): Promise<DecisionStore> {
  const publisher = createRedisDecisionPublisher({
    url: config.redis.url,
    namespace: redisNamespace(config),
    source: pg,
    resyncEveryMs: config.redis.resyncEveryMs,
    onEvent: (e) => log(describeRedisEvent(e)),
  });
  await publisher.start();
  return {
    store: createPublishingStore(pg, publisher),
    publisher,
    close: () => publisher.close(),
  };
}
