import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { StillwatchError, UsageError } from '../../domain/index.js';
import type { DetectionResult, WatermarkKey } from '../../provenance/index.js';

const load = () => import('../../provenance/index.js');

const SampleLine = z.object({ text: z.string() }).passthrough();

const TestFlags = z.object({
  keyFile: z.string().min(1),
  samples: z.string().min(1),
  alpha: z.coerce.number().gt(0).lt(1),
  json: z.string().min(1).optional(),
});
const EmbedFlags = z.object({
  keyFile: z.string().min(1),
  in: z.string().min(1),
  out: z.string().min(1),
  perturbFormat: z.boolean().optional(),
});
const KeygenFlags = z.object({
  out: z.string().min(1),
  id: z.string().min(1).max(200),
  force: z.boolean().optional(),
});

function parseFlags<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success)
    throw new UsageError(r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new StillwatchError(
      'INVALID_INPUT',
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

async function readKey(path: string): Promise<WatermarkKey> {
  const { loadWatermarkKey } = await load();
  return loadWatermarkKey(await readText(path, 'key file'));
}

/** Parse `{"text": ...}` JSONL; bad lines are reported by number and skipped. */
export function parseSamples(contents: string, source: string): { texts: string[]; bad: string[] } {
  const texts: string[] = [];
  const bad: string[] = [];
  contents.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      bad.push(`${source}:${i + 1}: not valid JSON`);
      return;
    }
    const r = SampleLine.safeParse(raw);
    if (r.success) texts.push(r.data.text);
    else bad.push(`${source}:${i + 1}: expected an object with a string "text" field`);
  });
  return { texts, bad };
}

export function formatDetection(r: DetectionResult): string {
  const p = r.pValue === 0 ? '< 1e-300' : r.pValue >= 0.001 ? r.pValue.toFixed(4) : r.pValue.toExponential(3);
  return [
    `key id:             ${r.keyId}`,
    `samples:            ${r.samples}`,
    `eligible positions: ${r.eligible} (${r.trials} distinct set/context/variant trials)`,
    `hits:               ${r.hits} (expected under no watermark: ${r.expectedHits.toFixed(1)})`,
    `statistic z:        ${r.z.toFixed(3)}`,
    `p-value:            ${p} (one-sided, ${r.method})`,
    `verdict:            ${r.detected ? 'WATERMARK DETECTED' : 'not detected'} at alpha ${r.alpha}`,
  ].join('\n');
}

async function runTest(raw: unknown): Promise<void> {
  const flags = parseFlags(TestFlags, raw);
  const key = await readKey(flags.keyFile);
  const { texts, bad } = parseSamples(await readText(flags.samples, 'samples file'), flags.samples);
  for (const b of bad) process.stderr.write(`stillwatch: skipped ${b}\n`);
  if (texts.length === 0) throw new StillwatchError('INVALID_INPUT', `no usable samples in ${flags.samples}`);
  const { WatermarkTally } = await load();
  const tally = new WatermarkTally(key);
  for (const t of texts) tally.add(t);
  const result = tally.result(flags.alpha);
  process.stdout.write(`${formatDetection(result)}\n`);
  if (flags.json !== undefined) {
    await mkdir(dirname(flags.json), { recursive: true });
    await writeFile(flags.json, `${JSON.stringify({ ...result, badLines: bad.length }, null, 2)}\n`);
  }
}

async function runEmbed(raw: unknown): Promise<void> {
  const flags = parseFlags(EmbedFlags, raw);
  const key = await readKey(flags.keyFile);
  const { texts, bad } = parseSamples(await readText(flags.in, 'input file'), flags.in);
  for (const b of bad) process.stderr.write(`stillwatch: skipped ${b}\n`);
  const { transformAnswerText } = await load();
  const opts = { reasoning: 'keep' as const, watermark: key, perturbFormat: flags.perturbFormat === true };
  const out = texts.map((text) => JSON.stringify({ text: transformAnswerText(text, opts) })).join('\n');
  await mkdir(dirname(flags.out), { recursive: true });
  await writeFile(flags.out, texts.length > 0 ? `${out}\n` : '');
  process.stdout.write(`watermarked ${texts.length} texts with key ${key.id} -> ${flags.out}\n`);
}

async function runKeygen(raw: unknown): Promise<void> {
  const flags = parseFlags(KeygenFlags, raw);
  if (existsSync(flags.out) && flags.force !== true)
    throw new UsageError(`${flags.out} exists; pass --force to overwrite it`);
  const { generateWatermarkKey, serialiseWatermarkKey, watermarkKeyFingerprint } = await load();
  const key = generateWatermarkKey(flags.id);
  await mkdir(dirname(flags.out), { recursive: true });
  await writeFile(flags.out, serialiseWatermarkKey(key), { mode: 0o600 });
  process.stdout.write(`wrote key ${key.id} (fingerprint ${watermarkKeyFingerprint(key)}) to ${flags.out}\n`);
}

/** `stillwatch provenance keygen|embed|test`: keyed output watermarks. Key material is never printed. */
export function registerProvenance(program: Command): void {
  const cmd = program
    .command('provenance')
    .description('Keyed lexical watermark for outputs served to flagged callers.');
  cmd
    .command('keygen')
    .description('Write a new random watermark key file (JSON, mode 0600).')
    .requiredOption('--out <file>', 'where to write the key')
    .option('--id <id>', 'public key id', `wm-${new Date().toISOString().slice(0, 10)}`)
    .option('--force', 'overwrite an existing file')
    .action(runKeygen);
  cmd
    .command('embed')
    .description('Watermark the "text" of every line of a JSONL file.')
    .requiredOption('--key-file <file>', 'watermark key file')
    .requiredOption('--in <file>', 'JSONL input, {"text": ...} per line')
    .requiredOption('--out <file>', 'JSONL output')
    .option('--perturb-format', 'also flatten lists and markdown structure')
    .action(runEmbed);
  cmd
    .command('test')
    .description("Test whether a suspect model's outputs carry the watermark (one-sided test).")
    .requiredOption('--key-file <file>', 'watermark key file')
    .requiredOption('--samples <file>', 'JSONL of suspect outputs, {"text": ...} per line')
    .option('--alpha <alpha>', 'significance level for the verdict', '1e-6')
    .option('--json <file>', 'also write the result as JSON')
    .action(runTest);
}
