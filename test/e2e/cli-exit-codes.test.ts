import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

describe('stillwatch exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));
  const good = join(dir, 'one.ndjson');
  writeFileSync(good, `${JSON.stringify({ id: 'e1', ts: 1_700_000_000_000, account: 'a1', model: 'm', prompt: 'hello' })}\n`);

  it('exits 0 on success and prints one summary line in CI', () => {
    const r = run(['scan', good, '--out', join(dir, 'ok')]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/1 accepted, 0 dead-lettered, 0 duplicates/);
  });

  it('exits 2 with a clear message on usage errors', () => {
    const noOut = run(['scan', good]);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/--out/);
    const missing = run(['scan', join(dir, 'nope.ndjson'), '--out', join(dir, 'x')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/input not found: .*nope\.ndjson/);
    const badFormat = run(['scan', good, '--out', join(dir, 'y'), '--format', 'csv']);
    expect(badFormat.status).toBe(2);
    expect(run(['no-such-command']).status).toBe(2);
    // Refused before the proxy listens, so the process ends (spawnSync would wait forever otherwise).
    const apiWithoutStore = spawnSync(process.execPath, [CLI, 'gateway', '--upstream', 'http://127.0.0.1:9', '--keys', good, '--port', '0', '--api-port', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(apiWithoutStore.status).toBe(2);
    expect(apiWithoutStore.stderr).toMatch(/--api-port needs --db/);
  });

  it('exits 0 for help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/scan/);
  });

  it('exits 1 when the run itself fails', () => {
    // The output directory cannot be created under a regular file.
    const r = run(['scan', good, '--out', join(good, 'sub')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^stillwatch: failed: /);
  });
});
