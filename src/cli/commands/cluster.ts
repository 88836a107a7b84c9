import type { Command } from 'commander';
import { z } from 'zod';
import { CLUSTER_ROLES, runClusterRole } from './cluster-role.js';

const Flags = z.object({
  config: z.string().min(1).optional(),
  progress: z.boolean().optional(),
});

/**
 * `stillwatch cluster <role> [inputs…] --config FILE`: one role of the scale-out mode, the same
 * as `stillwatch serve --mode cluster --role <role>`. Ingest exits when its inputs are
 * published; the other roles run until SIGTERM/SIGINT.
 */
export function registerCluster(program: Command): void {
  program
    .command('cluster')
    .description(
      'run one role of the scale-out mode (NATS JetStream + PostgreSQL + Redis): ingest, worker, correlator, api or gateway',
    )
    .argument('<role>', CLUSTER_ROLES.join(' | '))
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
      const flags = Flags.parse(raw);
      await runClusterRole(role, { ...flags, inputs });
    });
}
