import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
const run = (args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
const read = (p: string): string => readFileSync(p, 'utf8');

describe('stillwatch scan with the per-account stage on worker threads', () => {
  it('gives exactly the results of the in-process path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-part-'));
    run(['sim', '--seed', '3', '--scale', '0.1', '--days', '2', '--out', join(dir, 'sim')]);
    const input = join(dir, 'sim', 'events.ndjson');
    run(['scan', input, '--out', join(dir, 'one'), '--workers', '1', '--quiet']);
    run(['scan', input, '--out', join(dir, 'two'), '--workers', '2', '--quiet']);
    const s1 = JSON.parse(read(join(dir, 'one', 'summary.json'))) as {
      partitions: number;
      counts: unknown;
      correlation_passes: number;
    };
    const s2 = JSON.parse(read(join(dir, 'two', 'summary.json'))) as {
      partitions: number;
      counts: unknown;
      correlation_passes: number;
    };
    expect(s1.partitions).toBe(1);
    expect(s2.partitions).toBe(2);
    expect(s2.counts).toEqual(s1.counts);
    expect(s2.correlation_passes).toBe(s1.correlation_passes);
    expect(read(join(dir, 'two', 'accounts.ndjson'))).toBe(read(join(dir, 'one', 'accounts.ndjson')));
    expect(read(join(dir, 'two', 'campaigns.json'))).toBe(read(join(dir, 'one', 'campaigns.json')));
    expect(read(join(dir, 'two', 'sketches.ndjson'))).toBe(read(join(dir, 'one', 'sketches.ndjson')));
  });
});
