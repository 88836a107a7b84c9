import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvalReport } from '../../eval/index.js';
import { registerEval } from './eval.js';
import { runCommand } from './fixtures/run-command.js';

const fixtures = 'src/eval/fixtures/tiny';

async function run(args: string[]): Promise<string> {
  return (await runCommand(registerEval, 'eval', args)).out;
}

describe('stillwatch eval', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the table and writes a JSON report that matches the published schema', async () => {
    const json = join(await mkdtemp(join(tmpdir(), 'stillwatch-eval-cli-')), 'nested', 'report.json');
    const out = await run(['--labels', `${fixtures}/labels.ndjson`, '--results', `${fixtures}/scan`, '--json', json]);
    expect(out).toContain('Detection by unit');
    const report = EvalReport.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.latency.method).toBe('events');
    expect(report.scopes.all.units).toBe(10); // Z sent no events
  });

  it('skips the event file with --no-events and prints nothing with --quiet', async () => {
    const json = join(await mkdtemp(join(tmpdir(), 'stillwatch-eval-cli-')), 'report.json');
    const out = await run(['--labels', `${fixtures}/labels.ndjson`, '--results', `${fixtures}/scan`, '--no-events', '--quiet', '--json', json]);
    expect(out).toBe('');
    const report = EvalReport.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.latency.method).toBe('exchanges_before_flag');
    expect(report.inputs.events).toBeNull();
  });

  it('fails with an input error naming the file when the scan folder is missing', async () => {
    await expect(run(['--labels', `${fixtures}/labels.ndjson`, '--results', `${fixtures}/nope`])).rejects.toThrow(/cannot read .*nope\/accounts\.ndjson/);
  });
});
