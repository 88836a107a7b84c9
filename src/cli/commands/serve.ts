import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { z } from 'zod';
import { StillwatchError, UsageError } from '../../domain/index.js';
import { CLUSTER_ROLES, runClusterRole } from './cluster-role.js';

const Flags = z.object({
  mode: z.literal('embedded'),
  db: z.string().min(1),
  tokens: z.string({ error: 'required in embedded mode' }).min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  consoleDir: z.string().min(1),
  intelDb: z.string().min(1).optional(),
  intelCollection: z.array(z.string().min(1)).default([]),
  rateLimit: z.coerce.number().int().min(1),
});
type Flags = z.infer<typeof Flags>;

/** Cluster mode: everything comes from the config file and STILLWATCH_* variables; these flags override the role's address and tokens. */
const ClusterFlags = z.object({
  mode: z.literal('cluster'),
  role: z.string({ error: `required in cluster mode (${CLUSTER_ROLES.join(', ')})` }).min(1),
  config: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  tokens: z.string().min(1).optional(),
  progress: z.boolean().optional(),
});

/** dist/cli/commands/serve.js → <package>/console/dist */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist', import.meta.url));

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Starts the API and the console on one port; resolves once listening. Exported for tests. */
export async function startConsoleServer(flags: Flags): Promise<RunningConsole> {
  if (!existsSync(flags.db)) throw new UsageError(`--db ${flags.db} does not exist (run \`stillwatch scan --out DIR\` first)`);
  let tokenText: string;
  try {
    tokenText = readFileSync(flags.tokens, 'utf8');
  } catch (err) {
    throw new StillwatchError('INVALID_INPUT', `cannot read token file ${flags.tokens}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const { createApiApp, parseApiTokens, serveConsole } = await import('../../api/index.js');
  const { createSqliteIntelStore, createSqliteStore } = await import('../../store/sqlite/index.js');
  const { serve } = await import('@hono/node-server');
  const tokens = parseApiTokens(tokenText, flags.tokens);
  if (!existsSync(`${flags.consoleDir}/index.html`)) process.stderr.write(`stillwatch serve: no console build in ${flags.consoleDir} (run \`npm run build\`); serving the API only\n`);
  const store = createSqliteStore(flags.db);
  const intel = flags.intelDb ? createSqliteIntelStore(flags.intelDb) : null;
  const api = createApiApp({
    store,
    tokens,
    rateLimit: { perMinute: flags.rateLimit },
    intel: intel ? { intel, localCollections: flags.intelCollection } : undefined,
    onUnexpectedError: (e) => process.stderr.write(`stillwatch serve: ${e instanceof Error ? e.message : 'error'}\n`),
  });
  const app = serveConsole({ api, distDir: flags.consoleDir });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: flags.port, hostname: flags.host }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : flags.port;
  return {
    url: `http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await intel?.close();
    },
  };
}

const issues = (e: z.ZodError): string => e.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

async function serveEmbedded(raw: Record<string, unknown>): Promise<void> {
  const parsed = Flags.safeParse({ ...raw, port: raw['port'] ?? '8080', host: raw['host'] ?? '127.0.0.1' });
  if (!parsed.success) throw new UsageError(issues(parsed.error));
  const running = await startConsoleServer(parsed.data);
  process.stdout.write(`stillwatch console: ${running.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
}

/** `--port`, `--host` and `--tokens` given on the command line win over the config for the HTTP roles. */
async function serveCluster(raw: Record<string, unknown>, inputs: string[]): Promise<void> {
  const parsed = ClusterFlags.safeParse(raw);
  if (!parsed.success) throw new UsageError(issues(parsed.error));
  const f = parsed.data;
  await runClusterRole(f.role, {
    config: f.config,
    progress: f.progress,
    inputs,
    override: (config) => {
      const target = f.role === 'gateway' ? config.gateway : config.api;
      if (f.port !== undefined) target.port = f.port;
      if (f.host !== undefined) target.host = f.host;
      if (f.tokens !== undefined) config.api.tokensFile = f.tokens;
    },
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('embedded: serve the analyst console and its API (under /api) on one port; cluster: run one role of the scale-out mode')
    .argument('[inputs...]', 'cluster mode, ingest role: NDJSON files to publish (else the config\'s `inputs`)')
    .option('--mode <mode>', 'embedded (a SQLite store) or cluster (PostgreSQL, Redis, NATS; see --role)', 'embedded')
    .option('--role <role>', `cluster mode: ${CLUSTER_ROLES.join(' | ')}`)
    .option('--config <file>', 'cluster mode: config (YAML or JSON); STILLWATCH_* environment variables override it')
    .option('--db <path>', 'store written by `stillwatch scan --out DIR`', 'out/demo/scan/stillwatch.db')
    .option('--tokens <file>', 'API tokens (JSON or YAML: tokens: [{ name, role, token_sha256 }]); required in embedded mode')
    .option('--port <n>', 'port (0: any free port; default 8080, in cluster mode the role\'s configured port)')
    .option('--host <addr>', 'address to listen on (default 127.0.0.1)')
    .option('--console-dir <dir>', 'built console', DEFAULT_CONSOLE_DIR)
    .option('--intel-db <path>', 'intel store (see `stillwatch intel`), for the intel pages')
    .option('--intel-collection <id...>', 'local collections shared with peers')
    .option('--rate-limit <n>', 'requests a minute per token', '600')
    .option('--progress', 'cluster mode: one JSON line per result set (correlator) or per 50 messages (worker) on stdout')
    .action(async (inputs: string[], raw: Record<string, unknown>) => {
      const mode = z.enum(['embedded', 'cluster']).safeParse(raw['mode']);
      if (!mode.success) throw new UsageError('--mode: expected embedded or cluster');
      if (mode.data === 'cluster') await serveCluster(raw, inputs);
      else if (inputs.length > 0) throw new UsageError(`unexpected argument ${inputs[0]}: input files are for --mode cluster --role ingest`);
      else await serveEmbedded(raw);
    });
}
