import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attackScenario, randomSignature, rng } from '../../intel/stix/fixtures/scenario.js';
import { type CommandOutput, runCommand } from './fixtures/run-command.js';
import { registerIntel } from './intel.js';

function run(args: string[]): Promise<CommandOutput> {
  return runCommand(registerIntel, 'intel', args);
}

const SECRET = 'c0ffee'.repeat(8);
const COL = '0a3c0b52-7d62-4d31-9b8e-5f1c2a3b4c5d';

async function scanDir(): Promise<{ dir: string; keyFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stillwatch-intel-cli-'));
  const s = attackScenario({
    seed: 5,
    n: 4,
    prefix: 'z',
    template: randomSignature(rng(5)),
    pool: ['198.51.100.77'],
    tls: 'tls-cli-fp',
    payment: 'pay-cli-1',
  });
  await writeFile(join(dir, 'campaigns.json'), JSON.stringify({ campaigns: [s.campaign] }));
  await writeFile(join(dir, 'sketches.ndjson'), s.sketches.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const keyFile = join(dir, 'community.key');
  await writeFile(join(dir, 'community.key'), `ck-cli:${SECRET}\n`);
  await chmod(keyFile, 0o600);
  return { dir, keyFile };
}

describe('stillwatch intel export', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exports a valid bundle from a scan folder without printing the key or raw values', async () => {
    const { dir, keyFile } = await scanDir();
    const out = join(dir, 'bundle.json');
    const r = await run([
      'export',
      '--scan',
      dir,
      '--producer',
      'Provider Z',
      '--out',
      out,
      '--community-key-file',
      keyFile,
    ]);
    expect(r.err).toContain('valid against the OASIS schemas');
    expect(r.err).toContain('ck-cli');
    expect(r.err).not.toContain(SECRET);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('"type": "campaign"');
    for (const raw of ['198.51.100.77', 'tls-cli-fp', 'pay-cli-1', 'z-acct-0', SECRET])
      expect(text).not.toContain(raw);
  });

  it('publishes into an intel store and exports it back', async () => {
    const { dir, keyFile } = await scanDir();
    const db = join(dir, 'intel.db');
    await run([
      'export',
      '--scan',
      dir,
      '--db',
      db,
      '--collection',
      COL,
      '--community-key-file',
      keyFile,
      '--out',
      join(dir, 'a.json'),
    ]);
    const back = await run(['export', '--db', db, '--collection', COL]);
    const bundle = JSON.parse(back.out) as { objects: { type: string }[] };
    expect(bundle.objects.some((o) => o.type === 'indicator')).toBe(true);
  });

  it('refuses a key file others can read, and unknown TLP levels', async () => {
    const { dir, keyFile } = await scanDir();
    await chmod(keyFile, 0o644);
    await expect(run(['export', '--scan', dir, '--community-key-file', keyFile])).rejects.toThrow(
      /readable by others/,
    );
    await expect(run(['export', '--scan', dir, '--tlp', 'purple'])).rejects.toThrow(/unknown TLP level/);
    await expect(run(['export'])).rejects.toThrow(/give --scan DIR/);
  });
});
