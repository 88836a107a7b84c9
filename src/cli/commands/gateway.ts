import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../domain/index.js';
import type { RunningGateway } from '../../gateway/index.js';
import type { EventSink, Store } from '../../ports/index.js';

const Flags = z.object({
  upstream: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  keys: z.string().min(1),
  db: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  refreshMs: z.coerce.number().int().min(100),
  maxStalenessMs: z.coerce.number().int().min(1000),
  fail: z.enum(['open', 'closed']),
  events: z.string().min(1),
  unknownKeys: z.enum(['reject', 'passthrough']),
  endUserHeader: z.string().min(1),
  trustIpHeader: z.string().min(1).optional(),
  trustAsnHeader: z.string().min(1).optional(),
  trustTlsHeader: z.string().min(1).optional(),
  watermarkKey: z.string().min(1).optional(),
  challengeUrl: z.string().min(1).optional(),
  appealUrl: z.string().min(1).optional(),
  timeoutMs: z.coerce.number().int().min(100),
  apiPort: z.coerce.number().int().min(0).max(65535).optional(),
  apiTokens: z.string().min(1).optional(),
});
type Flags = z.infer<typeof Flags>;

/** The decisions API on its own port (never the proxy's), writing to the same store the feed reads. */
async function startApi(flags: Flags, store: Store | null): Promise<{ close(): void } | null> {
  if (flags.apiPort === undefined || !store || !flags.apiTokens) return null;
  const { createApiApp, parseApiTokens } = await import('../../api/index.js');
  const { serve } = await import('@hono/node-server');
  const { readConfigFile } = await import('../../runtime/index.js');
  const tokens = parseApiTokens(readConfigFile(flags.apiTokens, 'API token file'), flags.apiTokens);
  const app = createApiApp({ store, tokens, onUnexpectedError: (e) => process.stderr.write(`stillwatch api: ${e instanceof Error ? e.message : 'error'}\n`) });
  const server = serve({ fetch: app.fetch, port: flags.apiPort, hostname: flags.host });
  return { close: () => void server.close() };
}

/** Says on stderr when exchanges could not be recorded (recording behind, disk behind or failing): never silently. */
function reportLostEvents(sink: EventSink, gw: RunningGateway): { stop(): void } {
  let reported = 0;
  const check = (): void => {
    const lost = sink.stats().dropped + gw.recording().dropped;
    if (lost > reported) process.stderr.write(`stillwatch gateway: ${lost - reported} exchange(s) not recorded (${lost} in all)\n`);
    reported = lost;
  };
  const timer = setInterval(check, 10_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      check();
    },
  };
}

async function run(flags: Flags): Promise<void> {
  // Checked before anything listens: a usage error must end the process, not leave a proxy running.
  if (flags.apiPort !== undefined && (!flags.db || !flags.apiTokens)) throw new UsageError('--api-port needs --db (the store it manages) and --api-tokens (who may use it)');
  const { createMemoryDecisionCache, createNdjsonFileSink, createStoreDecisionFeed, parseKeyMap, startGateway } = await import('../../gateway/index.js');
  const { loadPolicy, policyAllowlist } = await import('../../policy/index.js');
  const { createSqliteStore } = await import('../../store/sqlite/index.js');
  const { gatewayOptions, readConfigFile } = await import('../../runtime/index.js');
  const keys = parseKeyMap(readConfigFile(flags.keys, 'key map'), flags.keys);
  const policy = flags.policy ? loadPolicy(readConfigFile(flags.policy, 'policy'), flags.policy) : null;
  const cache = createMemoryDecisionCache({ maxStalenessMs: flags.maxStalenessMs, healthyBeforeLoad: flags.db === undefined });
  if (!flags.db && policy) cache.replace({ decisions: [], allowlist: policyAllowlist(policy), campaignMembers: {}, loadedTs: Date.now() });
  if (flags.db && !existsSync(flags.db)) throw new UsageError(`--db ${flags.db} does not exist (run \`stillwatch scan --out DIR\` first)`);
  const store = flags.db ? createSqliteStore(flags.db) : null;
  const feed = store
    ? createStoreDecisionFeed(store, cache, {
        refreshMs: flags.refreshMs,
        extraAllowlist: policy ? policyAllowlist(policy) : [],
        onError: (e) => process.stderr.write(`stillwatch gateway: decision refresh failed: ${e.message}\n`),
      })
    : null;
  const loaded = feed ? await feed.refresh() : 0;
  feed?.start();
  const sink = createNdjsonFileSink(flags.events, { onError: (e) => process.stderr.write(`stillwatch gateway: event sink: ${e.message}\n`) });
  const gw = await startGateway(
    gatewayOptions(
      { ...flags, watermarkKeyFile: flags.watermarkKey },
      {
        keys,
        cache,
        sink,
        failMode: flags.fail,
        onError: (e) => process.stderr.write(`stillwatch gateway: request failed: ${e.name}: ${e.message}\n`),
      },
    ),
    { port: flags.port, hostname: flags.host },
  );
  const api = await startApi(flags, store);
  const lost = reportLostEvents(sink, gw);
  process.stdout.write(
    `stillwatch gateway listening on ${gw.url} → ${flags.upstream}\n` +
      `  ${keys.size()} API keys; ${flags.db ? `${loaded} decisions from ${flags.db}, refreshed every ${flags.refreshMs} ms` : 'no decision store (--db): everything is allowed'}; fail ${flags.fail}\n` +
      `  exchanges recorded to ${flags.events}\n` +
      (api ? `  decisions API on http://${flags.host}:${flags.apiPort}/v1 (tokens from ${flags.apiTokens})\n` : ''),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  feed?.stop();
  api?.close();
  await gw.close();
  await sink.close();
  lost.stop();
  await store?.close();
}

export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('OpenAI-compatible reverse proxy that enforces stillwatch decisions and records every exchange')
    .requiredOption('--upstream <url>', 'OpenAI-compatible upstream base URL')
    .requiredOption('--keys <file>', 'API key map (JSON or YAML: keys: [{ key_sha256, account, org?, key_id? }])')
    .option('--port <n>', 'port to listen on', '8787')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--db <path>', 'decision store written by `stillwatch scan --out DIR` (DIR/stillwatch.db)')
    .option('--policy <file>', 'policy file whose allowlist also applies (e.g. policies/default.yaml)')
    .option('--refresh-ms <n>', 'how often decisions are reloaded from --db', '5000')
    .option('--max-staleness-ms <n>', 'decision source counts as down after this long without a successful refresh', '60000')
    .option('--fail <mode>', 'when the decision source is down: open (serve) or closed (503)', 'open')
    .option('--events <file>', 'NDJSON file the exchanges are appended to (readable by `stillwatch scan`)', 'out/gateway-events.ndjson')
    .option('--unknown-keys <mode>', 'keys not in the map: reject (401) or passthrough (own account)', 'reject')
    .option('--end-user-header <name>', 'header a reseller uses to name its end user', 'x-stillwatch-end-user')
    .option('--trust-ip-header <name>', 'client IP header set by a trusted front proxy (e.g. x-forwarded-for)')
    .option('--trust-asn-header <name>', 'ASN header set by a trusted front proxy')
    .option('--trust-tls-header <name>', 'TLS fingerprint (JA3/JA4) header set by a trusted TLS terminator')
    .option('--watermark-key <file>', 'watermark key (see `stillwatch provenance keygen`) for degrade decisions asking for one')
    .option('--challenge-url <url>', 'where challenged callers complete step-up verification')
    .option('--appeal-url <url>', 'where blocked callers can appeal, quoted in the 403 message')
    .option('--timeout-ms <n>', 'time allowed for upstream response headers', '60000')
    .option('--api-port <n>', 'also serve the authenticated decisions API on this port (needs --db and --api-tokens)')
    .option('--api-tokens <file>', 'API tokens (JSON or YAML: tokens: [{ name, role, token_sha256 }])')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Flags.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      await run(parsed.data);
    });
}
