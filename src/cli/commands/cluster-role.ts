import { UsageError } from '../../domain/index.js';
import { ClusterRole, loadClusterConfig, startClusterRole, type ClusterConfig } from '../../runtime/index.js';

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
