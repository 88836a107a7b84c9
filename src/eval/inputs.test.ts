import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountResult } from '../domain/index.js';
import { EvalInputError, LabelLine, readScanOutput, readValidated } from './inputs.js';
import { forEachLine } from './ndjson.js';
import { joinUnits } from './units.js';

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stillwatch-eval-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('input validation', () => {
  it('lists every bad label line as file:line instead of skipping it', async () => {
    const path = await tempFile(
      'labels.ndjson',
      [
        '{"account":"a","label":"benign","persona":"casual_chat","campaign":null}',
        '{"account":"b","label":"suspicious","persona":"casual_chat","campaign":null}',
        '',
        '{"account":"c", oops',
        '{"account":"d","label":"attack","persona":"hydra"}',
      ].join('\n'),
    );
    const err = await readValidated(path, LabelLine).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvalInputError);
    const problems = (err as EvalInputError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(new RegExp(`${path}:2: label: `));
    expect(problems[1]).toBe(`${path}:4: not valid JSON`);
    expect(problems[2]).toMatch(new RegExp(`${path}:5: campaign: `));
    expect((err as EvalInputError).code).toBe('INVALID_INPUT');
  });

  it('rejects a scan result line that breaks the AccountResult contract', async () => {
    const path = await tempFile('accounts.ndjson', '{"account":"a","score":2}\n');
    await expect(readValidated(path, AccountResult)).rejects.toThrow(/accounts\.ndjson:1: /);
  });

  it('reports a missing scan folder as an input error naming the file', async () => {
    await expect(readScanOutput('/nonexistent/scan')).rejects.toThrow(/cannot read \/nonexistent\/scan\/accounts\.ndjson/);
  });

  it('refuses duplicate labels for the same account and end user', () => {
    const l = { account: 'r', end_user: 'u', label: 'benign' as const, persona: 'p', campaign: null };
    expect(() => joinUnits([l, l], [])).toThrow(/duplicate label for r\/u/);
  });
});

describe('forEachLine', () => {
  it('splits lines across read boundaries, tolerates CRLF and a missing final newline, and numbers lines', async () => {
    const path = await tempFile('x.ndjson', 'héllo\r\n\r\nwörld-long-line\nlast');
    const seen: [string, number][] = [];
    await forEachLine(path, (t, n) => seen.push([t, n]), 4);
    expect(seen).toEqual([
      ['héllo', 1],
      ['wörld-long-line', 3],
      ['last', 4],
    ]);
  });
});
