import { z } from 'zod';
// From the port, not the Redis adapter: validating settings must not load the Redis client.
import { NAMESPACE_PATTERN } from '../ports/index.js';

/**
 * The parts of the cluster config for Redis and the two HTTP roles. Defaults match the local
 * services of the README; a URL that fails validation is reported without its value (it may
 * hold a password).
 */
export const RedisSettings = z
  .object({
    url: z
      .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
    /** Key namespace (default: the NATS namespace), so several deployments can share one Redis. */
    namespace: z
      .string()
      .regex(NAMESPACE_PATTERN, { error: `expected ${NAMESPACE_PATTERN.source}` })
      .optional(),
    /** Gateways serve their last decisions this long while Redis is unreachable, then fail open or closed. */
    maxStalenessMs: z.number().int().min(1000).default(60_000),
    failMode: z.enum(['open', 'closed']).default('open'),
    /** Gateways poll for changes this often besides the pub/sub notifications. */
    refreshMs: z.number().int().min(50).default(1_000),
    /** Publishers compare Redis with PostgreSQL this often (0: only after Redis was down). */
    resyncEveryMs: z.number().int().min(0).default(300_000),
  })
  .prefault({});
export type RedisSettings = z.infer<typeof RedisSettings>;

export const ApiSettings = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8080),
    /** API tokens (JSON or YAML: tokens: [{ name, role, token_sha256 }]). */
    tokensFile: z.string().min(1).optional(),
    /** Built console served next to the API (default: the package's console/dist). */
    consoleDir: z.string().min(1).optional(),
    /** Requests a minute per token. */
    rateLimit: z.number().int().min(1).default(600),
  })
  .prefault({});
export type ApiSettings = z.infer<typeof ApiSettings>;

export const GatewaySettings = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
    upstream: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    /** API key map (JSON or YAML: keys: [{ key_sha256, account, org?, key_id? }]). */
    keysFile: z.string().min(1).optional(),
    /** NDJSON file the exchanges are appended to (readable by `stillwatch scan` and the ingest role). */
    eventsFile: z.string().min(1).default('out/gateway-events.ndjson'),
    unknownKeys: z.enum(['reject', 'passthrough']).default('reject'),
    endUserHeader: z.string().min(1).default('x-stillwatch-end-user'),
    trustIpHeader: z.string().min(1).optional(),
    trustAsnHeader: z.string().min(1).optional(),
    trustTlsHeader: z.string().min(1).optional(),
    watermarkKeyFile: z.string().min(1).optional(),
    challengeUrl: z.string().min(1).optional(),
    appealUrl: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).default(60_000),
  })
  .prefault({});
export type GatewaySettings = z.infer<typeof GatewaySettings>;
