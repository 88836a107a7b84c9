import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CommandOutput, runCommand } from './fixtures/run-command.js';
import { registerProvenance } from './provenance.js';

function run(args: string[]): Promise<CommandOutput> {
  return runCommand(registerProvenance, 'provenance', args);
}

const PROSE = [
  "Therefore, the colour of the neighbourhood isn't gray. We don't analyze it; for example the center is organized.",
  'Moreover, everyone traveled toward the theater, and nobody canceled. Perhaps the behavior is typical; it does not change.',
  'She labeled the catalog, then modeled the defense of the center. Hence nobody doubted that the favorite was organized.',
];

describe('stillwatch provenance', () => {
  afterEach(() => vi.restoreAllMocks());

  it('generates a key, watermarks samples and detects them, never printing the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stillwatch-prov-'));
    const keyFile = join(dir, 'k.json');
    const gen = await run(['keygen', '--out', keyFile, '--id', 'test-key']);
    const secret = (JSON.parse(await readFile(keyFile, 'utf8')) as { secret: string }).secret;
    const clean = join(dir, 'clean.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 30; i++)
      for (const t of PROSE) lines.push(JSON.stringify({ text: t.replace('the ', `the ${i} `) }));
    await writeFile(clean, `${lines.join('\n')}\nnot json\n{"txt": 1}\n`);
    const marked = join(dir, 'marked.jsonl');
    await run(['embed', '--key-file', keyFile, '--in', clean, '--out', marked]);
    const json = join(dir, 'r.json');
    const res = await run(['test', '--key-file', keyFile, '--samples', marked, '--json', json]);
    expect(res.out).toContain('WATERMARK DETECTED');
    const report = JSON.parse(await readFile(json, 'utf8')) as { pValue: number; detected: boolean };
    expect(report.detected).toBe(true);
    const base = await run(['test', '--key-file', keyFile, '--samples', clean, '--alpha', '1e-3']);
    expect(base.out).toContain('not detected');
    expect(base.err).toMatch(/clean\.jsonl:91: not valid JSON/);
    expect(base.err).toMatch(/clean\.jsonl:92: expected an object/);
    for (const o of [gen, res, base]) expect(o.out + o.err).not.toContain(secret);
  });

  it('rejects a malformed or short key with an input error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stillwatch-prov-'));
    const keyFile = join(dir, 'k.json');
    await writeFile(keyFile, JSON.stringify({ id: 'x', secret: Buffer.alloc(8).toString('base64') }));
    await writeFile(join(dir, 's.jsonl'), '{"text":"hello"}\n');
    await expect(run(['test', '--key-file', keyFile, '--samples', join(dir, 's.jsonl')])).rejects.toThrow(
      /at least 32 bytes/,
    );
    await expect(
      run(['test', '--key-file', join(dir, 'missing.json'), '--samples', join(dir, 's.jsonl')]),
    ).rejects.toThrow(/cannot read key file/);
  });
});
