import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorrupted } from './corrupted-input.js';

const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
const run = (args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

describe('stillwatch scan over a file with 5% corrupted lines of every kind', () => {
  it.each([1, 2])(
    'reports each bad line with its line number, counts add up, and still scores the rest (%i worker thread(s))',
    (workers) => {
      const dir = mkdtempSync(join(tmpdir(), 'sw-corrupt-'));
      run(['sim', '--seed', '5', '--scale', '0.1', '--days', '1', '--out', join(dir, 'sim')]);
      const input = join(dir, 'corrupted.ndjson');
      const { corrupted, lines, eventLines } = writeCorrupted(join(dir, 'sim', 'events.ndjson'), input);

      const out = join(dir, 'scan');
      const stdout = run(['scan', input, '--out', out, '--quiet', '--workers', String(workers)]);
      expect(stdout).toMatch(/dead-lettered/);

      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
        balanced: boolean;
        counts: Record<string, number>;
      };
      const c = summary.counts;
      expect(summary.balanced).toBe(true);
      expect(c['records_read']).toBe(c['accepted']! + c['dead_lettered']! + c['duplicates']!);
      expect(c['duplicates']).toBe(1);
      expect(c['dead_lettered']).toBe(corrupted.size + 1);
      expect(corrupted.size / eventLines).toBeGreaterThanOrEqual(0.045);

      const dead = readFileSync(join(out, 'deadletter.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { line: number; reason: string; file: string });
      const byLine = new Map(dead.map((d) => [d.line, d]));
      for (const [i, kind] of corrupted) {
        const d = byLine.get(i + 1);
        expect(d, `${kind.name} at line ${i + 1}`).toBeDefined();
        expect(d!.reason, kind.name).toMatch(kind.reason);
        expect(d!.file).toBe(input);
      }
      const last = dead.find((d) => d.line === lines.length + 2);
      expect(last?.reason).toMatch(/truncated last line/);

      const accounts = readFileSync(join(out, 'accounts.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { score: number; exchanges: number });
      expect(accounts.length).toBeGreaterThan(10);
      expect(accounts.reduce((s, a) => s + a.exchanges, 0)).toBeGreaterThan(0);
      expect(accounts.every((a) => a.score >= 0 && a.score <= 1)).toBe(true);
    },
  );

  it('writes the same dead-letter file, in line order, whatever the number of worker threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-corrupt-order-'));
    run(['sim', '--seed', '6', '--scale', '0.1', '--days', '1', '--out', join(dir, 'sim')]);
    const input = join(dir, 'corrupted.ndjson');
    writeCorrupted(join(dir, 'sim', 'events.ndjson'), input);
    const deadOf = (workers: number): string => {
      const out = join(dir, `scan-${workers}`);
      run(['scan', input, '--out', out, '--quiet', '--workers', String(workers)]);
      return readFileSync(join(out, 'deadletter.ndjson'), 'utf8');
    };
    const inProcess = deadOf(1);
    const lines = inProcess
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { line: number }).line);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    // Partitions finish batches in any order and the main thread rejects some lines itself.
    expect(deadOf(2)).toBe(inProcess);
    expect(deadOf(3)).toBe(inProcess);
  });
});
