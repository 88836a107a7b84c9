import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { z } from 'zod';
import type { IngestRecord } from '../../domain/index.js';
import { UsageError } from '../../domain/index.js';
import type { Calibration } from '../../detectors/index.js';

/** The calibration shipped with the project (produced by this command; see docs/DETECTION.md). */
export const DEFAULT_CALIBRATION_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../calibration/default.json');

/**
 * Reads and validates a calibration file; without a path, the shipped default.
 * @example const cal = await readCalibration(opts.calibration);
 */
export async function readCalibration(path?: string): Promise<Calibration> {
  const file = path ?? DEFAULT_CALIBRATION_FILE;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read calibration file ${file}: ${(err as Error).message}`);
  }
  const { loadCalibration } = await import('../../detectors/index.js');
  return loadCalibration(json);
}

const LabelLine = z.object({
  account: z.string().min(1),
  end_user: z.string().min(1).optional(),
  label: z.enum(['benign', 'attack']),
});

const SEP = '\u001f';

/** Units (account, or account + end user) labelled benign; everything else is left out of the reference. */
function benignFilter(labelsPath: string): (r: IngestRecord) => boolean {
  const benign = new Set<string>();
  const attack = new Set<string>();
  const lines = readFileSync(labelsPath, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const p = LabelLine.safeParse(JSON.parse(text));
    if (!p.success) throw new UsageError(`${labelsPath}:${i + 1}: not a label line`);
    const key = p.data.end_user === undefined ? p.data.account : `${p.data.account}${SEP}${p.data.end_user}`;
    (p.data.label === 'benign' ? benign : attack).add(key);
  });
  return (r) => {
    if (r.kind === 'account') return benign.has(r.account.account);
    if (r.kind !== 'event') return true;
    const ev = r.event;
    if (!benign.has(ev.account)) return false;
    return ev.end_user === undefined || !attack.has(`${ev.account}${SEP}${ev.end_user}`);
  };
}

function num(name: string, min: number, max: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new UsageError(`--${name} expects a number in [${min}, ${max}], got "${v}"`);
    }
    return n;
  };
}

interface CalibrateOptions {
  benign: string;
  labels?: string;
  targetFpr: number;
  margin: number;
  out: string;
  reference?: string;
}

/** `stillwatch calibrate`: fit the flag threshold and benign baselines on benign reference traffic. */
export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('Fit the per-account flag threshold at a target benign false-positive rate, from benign reference traffic.')
    .requiredOption('--benign <file>', 'reference traffic (events, account and model_release records)')
    .option('--labels <file>', "labels.ndjson: keep only units labelled benign (for simulator output)")
    .option('--target-fpr <x>', 'share of benign units allowed above the threshold', num('target-fpr', 0, 0.5), 0.001)
    .option('--margin <x>', 'added to the benign score quantile', num('margin', 0, 0.5), 0.02)
    .option('--out <file>', 'where to write the calibration JSON', 'calibration/default.json')
    .option('--reference <text>', 'how the reference traffic was produced, recorded in the file')
    .action(async (opts: CalibrateOptions) => {
      const { fitCalibration } = await import('../../detectors/index.js');
      const { Ingestor } = await import('../../ingest/index.js');
      const keep = opts.labels === undefined ? () => true : benignFilter(opts.labels);
      const dead: string[] = [];
      const source = async function* (): AsyncGenerator<IngestRecord[]> {
        const ing = new Ingestor([opts.benign], { onDeadLetter: (d) => dead.push(d.reason) });
        for await (const batch of ing.records()) yield batch.filter(keep);
      };
      const command =
        `stillwatch calibrate --benign ${opts.benign}` +
        (opts.labels === undefined ? '' : ` --labels ${opts.labels}`) +
        ` --target-fpr ${opts.targetFpr} --margin ${opts.margin}`;
      const { calibration, report } = await fitCalibration(source, {
        targetFpr: opts.targetFpr,
        margin: opts.margin,
        command,
        input: opts.benign,
        ...(opts.reference !== undefined ? { reference: opts.reference } : {}),
      });
      mkdirSync(dirname(resolve(opts.out)), { recursive: true });
      writeFileSync(opts.out, `${JSON.stringify(calibration, null, 2)}\n`);
      process.stdout.write(
        `calibrated on ${report.units} benign units: quantile ${report.quantileScore.toFixed(4)}, max ${report.maxScore.toFixed(4)}, ` +
          `single-family max ${report.singleFamilyMax.toFixed(4)} → threshold ${report.threshold.toFixed(4)} → ${opts.out}` +
          (dead.length > 0 ? ` (${dead.length} lines dead-lettered, per pass)` : '') +
          '\n',
      );
    });
}
