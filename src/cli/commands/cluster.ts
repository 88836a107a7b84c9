import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../domain/index.js';
import { ClusterRole, loadClusterConfig, startClusterRole } from '../../runtime/index.js';

const Flags = z.object({
  config: z.string().min(1).optional(),
  progress: z.boolean().optional(),
});

/**
 * `stillwatch cluster <role> [inputs…] --config FILE`: one role of the scale-out mode.
 * Ingest exits when its inputs are published; worker and correlator run until SIGTERM/SIGINT.
 */
export function registerCluster(program: Command): void {
  program
    .command('cluster')
    .description(
      'run one role of the scale-out mode (NATS JetStream + PostgreSQL): ingest, worker or correlator',
    )
    .argument('<role>', 'ingest | worker | correlator')
    .argument('[inputs...]', 'ingest: NDJSON files to publish (else config `inputs`)')
    .option(
      '--config <file>',
      'cluster config (YAML or JSON); STILLWATCH_* environment variables override it',
    )
    .option(
      '--progress',
      'worker: print one JSON line per 50 messages on stdout (the correlator always prints one per result set)',
    )
    .action(async (role: string, inputs: string[], raw: unknown) => {
      const r = ClusterRole.safeParse(role);
      if (!r.success)
        throw new UsageError(`unknown role ${role}: expected ${ClusterRole.options.join(', ')}`);
      const flags = Flags.parse(raw);
      const config = loadClusterConfig(flags.config);
      if (inputs.length > 0) config.inputs = inputs;
      const out = (o: unknown): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
      const running = await startClusterRole(r.data, config, {
        onResults: (accounts, counts, summary) =>
          out({ results: accounts.length, final: true, counts, summary }),
        onPeriodicResults: (accounts, summary) =>
          out({ results: accounts.length, final: false, tick: summary.tick }),
        onPgRetry: (e, attempt, delayMs) =>
          process.stderr.write(
            `stillwatch cluster ${r.data}: PostgreSQL unavailable (${e.message}); retry ${attempt} in ${delayMs} ms\n`,
          ),
        ...(flags.progress
          ? { onProgress: (p: number, seq: number, counts: unknown) => out({ partition: p, seq, counts }) }
          : {}),
      });
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
    });
}
