import { UsageError } from '../../domain/index.js';
import type { ClusterConfig, ClusterRole } from '../../runtime/index.js';

/**
 * The runtime's `ClusterRole` names, for `--help` without loading the runtime (its NATS,
 * PostgreSQL and Redis code); cluster-role.test.ts checks that they are the same.
 */
export const CLUSTER_ROLES = ['ingest', 'worker', 'correlator', 'api', 'gateway'] as const satisfies readonly ClusterRole[];

export interface RoleFlags {
  config?: string | undefined;
  progress?: boolean | undefined;
  /** ingest: files to publish instead of the config's `inputs`. */
  inputs?: readonly string[];
  /** Command-line flags applied over the config (after the environment). */
  override?: (config: ClusterConfig) => void;
}

/**
 * Runs one role of the scale-out mode until it ends (ingest: inputs published) or SIGTERM/SIGINT.
 * Shared by `stillwatch cluster <role>` and `stillwatch serve --mode cluster --role <role>`.
 */
export async function runClusterRole(role: string, flags: RoleFlags): Promise<void> {
  const { ClusterRole, loadClusterConfig, startClusterRole } = await import('../../runtime/index.js');
  const r = ClusterRole.safeParse(role);
  if (!r.success) throw new UsageError(`unknown role ${role}: expected ${ClusterRole.options.join(', ')}`);
  const config = loadClusterConfig(flags.config);
  if (flags.inputs && flags.inputs.length > 0) config.inputs = [...flags.inputs];
  flags.override?.(config);
  const out = (o: unknown): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
  const running = await startClusterRole(r.data, config, {
    log: (line) => void process.stderr.write(`stillwatch ${r.data}: ${line}\n`),
    onResults: (accounts, counts, summary) => out({ results: accounts.length, final: true, counts, summary }),
    onPeriodicResults: (accounts, summary) =>
      out({ results: accounts.length, final: false, tick: summary.tick }),
    onPgRetry: (e, attempt, delayMs) =>
      process.stderr.write(
        `stillwatch ${r.data}: PostgreSQL unavailable (${e.message}); retry ${attempt} in ${delayMs} ms\n`,
      ),
    ...(flags.progress
      ? { onProgress: (p: number, seq: number, counts: unknown) => out({ partition: p, seq, counts }) }
      : {}),
  });
  if (running.url !== undefined) out({ role: r.data, url: running.url });
  const stop = (): void => {
    // Draining can wait on a broker that is gone; never let it hold the process.
    setTimeout(() => process.exit(0), 2_000).unref();
    void running.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const result = await running.done;
  if (r.data === 'ingest') out({ ingest: result });
  await running.stop();
}
