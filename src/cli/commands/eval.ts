import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../domain/index.js';

const EvalOptions = z.object({
  labels: z.string().min(1),
  results: z.string().min(1),
  events: z.union([z.string().min(1), z.literal(false)]).optional(),
  json: z.string().min(1).optional(),
  quiet: z.boolean().optional(),
});

/** `stillwatch eval`: score a scan's output against the simulator's ground truth. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Score a scan against ground-truth labels: FPR, recall, clustering, latency, volume baseline')
    .requiredOption('--labels <file>', "the simulator's labels.ndjson")
    .requiredOption('--results <dir>', 'a scan output folder (accounts.ndjson, campaigns.json)')
    .option('--events <file>', 'events.ndjson for exact latency (default: events.ndjson beside the labels, if present)')
    .option('--no-events', 'do not read events; estimate latency from exchanges_before_flag')
    .option('--json <out>', 'also write the full report as JSON')
    .option('--quiet', 'do not print the table')
    .action(async (raw: unknown) => {
      const parsed = EvalOptions.safeParse(raw);
      if (!parsed.success) throw new UsageError(`eval: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const o = parsed.data;
      // commander sets `events: false` for --no-events and leaves it undefined when neither flag is given.
      const events = o.events === false ? null : o.events;
      const { formatReport, runEvaluation } = await import('../../eval/index.js');
      const report = await runEvaluation({ labels: o.labels, results: o.results, events });
      if (o.json !== undefined) {
        await mkdir(dirname(o.json), { recursive: true });
        await writeFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
      }
      if (o.quiet !== true) process.stdout.write(`${formatReport(report)}\n`);
    });
}
