import type { Command } from 'commander';
import { UsageError } from '../../domain/index.js';

function num(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`--${name} expects a number, got "${v}"`);
    return n;
  };
}

/** `stillwatch sim`: labelled synthetic traffic (events.ndjson + labels.ndjson) for evaluation. */
export function registerSim(program: Command): void {
  program
    .command('sim')
    .description(
      'Generate labelled, time-ordered API traffic with benign personas and distillation campaigns.',
    )
    .requiredOption('--out <dir>', 'output folder (events.ndjson, labels.ndjson, sim-summary.json)')
    .option('--seed <n>', 'random seed (same seed, same bytes)', num('seed'), 1)
    .option('--scale <x>', 'population size; 1 ≈ 3,000 accounts and ~230k events per 7 days', num('scale'), 1)
    .option('--days <d>', 'length of the window in days', num('days'), 7)
    .option('--evasion <e>', '0..1: how far attackers move toward legitimate behaviour', num('evasion'), 0)
    .option('--start <iso>', 'window start (ISO-8601)', '2026-03-02T00:00:00.000Z')
    .option('--corpora <dir>', 'prompt corpora folder (default: $STILLWATCH_CORPORA or ../shared/corpora)')
    .option('--quiet', 'print nothing but errors')
    .action(
      async (opts: {
        out: string;
        seed: number;
        scale: number;
        days: number;
        evasion: number;
        start: string;
        corpora?: string;
        quiet?: boolean;
      }) => {
        const { runSim } = await import('../../sim/index.js');
        const summary = runSim({
          seed: opts.seed,
          scale: opts.scale,
          days: opts.days,
          evasion: opts.evasion,
          out: opts.out,
          start: opts.start,
          ...(opts.corpora !== undefined ? { corpora: opts.corpora } : {}),
        });
        if (opts.quiet) return;
        const share = summary.events > 0 ? ((100 * summary.attackEvents) / summary.events).toFixed(1) : '0';
        process.stdout.write(
          `wrote ${summary.events} events (${share}% attack), ${summary.accounts} accounts (${summary.attackAccounts} attack, ${summary.campaigns} campaigns) to ${opts.out}\n` +
            `corpora loaded in ${summary.loadSeconds.toFixed(1)} s; generated in ${summary.seconds.toFixed(1)} s (${summary.eventsPerSecond} events/s), ${(summary.bytes / 1e6).toFixed(1)} MB\n`,
        );
      },
    );
}
