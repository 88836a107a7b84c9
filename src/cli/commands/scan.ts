import { Option, type Command } from 'commander';
// FORMAT_NAMES are the --format choices, needed when the command is registered (ingest's index is light).
import { FORMAT_NAMES, type FormatName } from '../../ingest/index.js';
import { UsageError } from '../../domain/index.js';

interface ScanFlags {
  out?: string;
  db?: string;
  format?: FormatName;
  calibration?: string;
  policy?: string;
  quiet?: boolean;
  correlateEvery?: string;
  workers?: string;
  communityKeyFile?: string;
  producer?: string;
}

/** `stillwatch scan <inputs…> --out DIR`: the main batch job on the embedded store. */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      'scan traffic logs (files, directories or - for stdin; gzip read transparently) and write verdicts into DIR',
    )
    .argument('<inputs...>', 'NDJSON / OTLP JSON / OpenAI-style log files, directories, or -')
    .requiredOption(
      '--out <dir>',
      'output directory (accounts.ndjson, campaigns.json, summary.json, deadletter.ndjson, …)',
    )
    .option('--db <path>', 'SQLite store path (default DIR/stillwatch.db)')
    .addOption(
      new Option('--format <name>', 'force the input format instead of detecting it per file').choices(
        FORMAT_NAMES,
      ),
    )
    .option('--calibration <file>', 'calibration file from `stillwatch calibrate` (default: the shipped one)')
    .option('--policy <file>', 'policy YAML (default: policies/default.yaml)')
    .option(
      '--community-key-file <file>',
      'community key for the keyed hashes in stix-bundle.json (else $STILLWATCH_COMMUNITY_KEY, else a local-only key)',
    )
    .option('--producer <name>', 'the sharing organisation named in stix-bundle.json', 'stillwatch')
    .option('--correlate-every <minutes>', 'event-time minutes between correlation passes', '5')
    .option(
      '--workers <n>',
      'worker threads for the per-account stage on NDJSON input (1: in process; default: one per core, at most 8, for 64 MiB or more of input, else 1)',
    )
    .option('-q, --quiet', 'no progress bar; one summary line at the end')
    .action(async (inputs: string[], flags: ScanFlags) => {
      const every = Number(flags.correlateEvery);
      if (!Number.isFinite(every) || every <= 0)
        throw new UsageError('--correlate-every must be a positive number of minutes');
      const workers = flags.workers === undefined ? undefined : Number(flags.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64))
        throw new UsageError('--workers must be an integer from 1 to 64');
      const { runEmbeddedScan } = await import('../../runtime/index.js');
      const { SingleBar, Presets } = await import('cli-progress');
      const interactive = process.stderr.isTTY && !flags.quiet && !process.env['CI'];
      const bar = interactive
        ? new SingleBar(
            {
              format: 'scan [{bar}] {percentage}% | {events} events | {rate} ev/s | {mb} MiB | ETA {eta}s',
              hideCursor: true,
            },
            Presets.shades_classic,
          )
        : null;
      const t0 = Date.now();
      let started = false;
      const outcome = await runEmbeddedScan({
        inputs,
        outDir: flags.out ?? '',
        ...(flags.db ? { dbPath: flags.db } : {}),
        ...(flags.format ? { format: flags.format } : {}),
        ...(flags.calibration ? { calibrationFile: flags.calibration } : {}),
        ...(flags.policy ? { policyFile: flags.policy } : {}),
        correlateEveryMs: every * 60_000,
        ...(workers !== undefined ? { workers } : {}),
        ...(flags.communityKeyFile ? { communityKeyFile: flags.communityKeyFile } : {}),
        ...(flags.producer ? { producer: flags.producer } : {}),
        ...(bar
          ? {
              onProgress: (p) => {
                const payload = {
                  events: p.events,
                  rate: Math.round(p.events / Math.max((Date.now() - t0) / 1000, 0.001)),
                  mb: (p.bytes / 1048576).toFixed(0),
                };
                if (!started) {
                  bar.start(Math.max(p.totalBytes, p.bytes), 0, payload);
                  started = true;
                }
                bar.update(Math.min(p.bytes, Math.max(p.totalBytes, p.bytes)), payload);
              },
            }
          : {}),
      });
      if (bar && started) bar.stop();
      const s = outcome.summary;
      const c = s.counts;
      process.stdout.write(
        `scan: ${c.records_read} records (${c.accepted} accepted, ${c.dead_lettered} dead-lettered, ${c.duplicates} duplicates) from ${c.files} file(s) in ${(s.duration_ms / 1000).toFixed(1)}s (${s.events_per_second} events/s); ` +
          `${s.accounts} accounts, ${s.flagged_accounts} flagged; ${s.end_users} end users, ${s.flagged_end_users} flagged; ${s.campaigns} campaigns → ${flags.out}\n`,
      );
      if (!s.balanced) throw new Error('internal error: record counts do not add up (see summary.json)');
    });
}
