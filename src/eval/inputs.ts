import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AccountResult, Campaign, StillwatchError } from '../domain/index.js';
import { forEachLine } from './ndjson.js';

/** One line of the simulator's `labels.ndjson`: the ground truth for an account or an end user. */
export const LabelLine = z
  .object({
    account: z.string().min(1),
    end_user: z.string().min(1).optional(),
    label: z.enum(['benign', 'attack']),
    persona: z.string().min(1),
    campaign: z.string().min(1).nullable(),
  })
  .loose();
export type LabelLine = z.infer<typeof LabelLine>;

export const CampaignsFile = z.object({ campaigns: z.array(Campaign) }).loose();
export type CampaignsFile = z.infer<typeof CampaignsFile>;

/** How many bad lines an error message lists before it summarises the rest. */
const MAX_LISTED = 20;

/** An input file had lines that failed validation; every one is listed as file:line. */
export class EvalInputError extends StillwatchError {
  override readonly name = 'EvalInputError';
  readonly problems: string[];
  constructor(problems: string[]) {
    const shown = problems.slice(0, MAX_LISTED);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super('INVALID_INPUT', `invalid evaluation input:\n  ${shown.join('\n  ')}${more}`);
    this.problems = problems;
  }
}

/** Formats a zod error as one short line: "path: message; path: message". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(line)'}: ${i.message}`)
    .join('; ');
}

/** Parses and validates every line of an NDJSON file; throws listing every bad line. */
export async function readValidated<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const rows: T[] = [];
  const problems: string[] = [];
  try {
    await forEachLine(path, (text, line) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        problems.push(`${path}:${line}: not valid JSON`);
        return;
      }
      const parsed = schema.safeParse(raw);
      if (parsed.success) rows.push(parsed.data);
      else problems.push(`${path}:${line}: ${describeIssues(parsed.error)}`);
    });
  } catch (err) {
    throw new StillwatchError('INVALID_INPUT', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (problems.length > 0) throw new EvalInputError(problems);
  return rows;
}

export interface ScanOutput {
  results: AccountResult[];
  campaigns: Campaign[];
}

/** Reads a scan's `accounts.ndjson` and `campaigns.json` from its output folder. */
export async function readScanOutput(dir: string): Promise<ScanOutput> {
  const results = await readValidated(join(dir, 'accounts.ndjson'), AccountResult);
  const path = join(dir, 'campaigns.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new StillwatchError('INVALID_INPUT', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new EvalInputError([`${path}: not valid JSON`]);
  }
  const parsed = CampaignsFile.safeParse(raw);
  if (!parsed.success) throw new EvalInputError([`${path}: ${describeIssues(parsed.error)}`]);
  return { results, campaigns: parsed.data.campaigns };
}
