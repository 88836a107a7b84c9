import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
const run = (args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

/** Every kind of corruption the scan must survive, each applied to a valid line. */
const CORRUPTIONS: Array<{ name: string; apply: (line: string) => Buffer; reason: RegExp }> = [
  {
    name: 'binary junk',
    apply: () => Buffer.from([0x00, 0x01, 0x02, 0x7b, 0xfe, 0x10]),
    reason: /UTF-8|JSON/,
  },
  {
    name: 'invalid UTF-8',
    apply: (l) =>
      Buffer.concat([Buffer.from(l.slice(0, 20)), Buffer.from([0xc3, 0x28]), Buffer.from(l.slice(20))]),
    reason: /invalid UTF-8 at byte 20/,
  },
  {
    name: 'malformed JSON',
    apply: (l) => Buffer.from(l.slice(0, Math.floor(l.length / 2))),
    reason: /malformed JSON/,
  },
  {
    name: 'over 1 MiB',
    apply: (l) => Buffer.from(`${l.slice(0, -1)},"pad":"${'x'.repeat(1100 * 1024)}"}`),
    reason: /over the 1048576-byte limit/,
  },
  {
    name: 'wrong type',
    apply: (l) =>
      Buffer.from(JSON.stringify({ ...(JSON.parse(l) as object), usage: { input_tokens: 'many' } })),
    reason: /field "usage\.input_tokens": expected number, found string "many"/,
  },
  {
    name: 'missing account',
    apply: (l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      delete o['account'];
      return Buffer.from(JSON.stringify(o));
    },
    reason: /field "account": expected string, found nothing/,
  },
  {
    name: 'bad timestamp',
    apply: (l) => Buffer.from(JSON.stringify({ ...(JSON.parse(l) as object), ts: 'yesterday' })),
    reason: /field "ts"/,
  },
  {
    name: 'not an object',
    apply: () => Buffer.from('[1,2,3]'),
    reason: /expected a JSON object, found array/,
  },
];

describe('stillwatch scan over a file with 5% corrupted lines of every kind', () => {
  it.each([1, 2])(
    'reports each bad line with its line number, counts add up, and still scores the rest (%i worker thread(s))',
    (workers) => {
      const dir = mkdtempSync(join(tmpdir(), 'sw-corrupt-'));
      run(['sim', '--seed', '5', '--scale', '0.1', '--days', '1', '--out', join(dir, 'sim')]);
      const lines = readFileSync(join(dir, 'sim', 'events.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean);
      const eventLines = lines
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => !l.includes('"type":"account"') && !l.includes('"type":"model_release"'));
      const step = Math.floor(100 / 5);
      const corrupted = new Map<number, (typeof CORRUPTIONS)[number]>();
      eventLines.forEach(({ i }, k) => {
        if (k % step === 3) corrupted.set(i, CORRUPTIONS[corrupted.size % CORRUPTIONS.length]!);
      });
      const dupOf = eventLines[10]!.l;
      const parts: Buffer[] = [];
      lines.forEach((l, i) => {
        const c = corrupted.get(i);
        parts.push(c ? c.apply(l) : Buffer.from(l), Buffer.from('\n'));
      });
      parts.push(Buffer.from(`${dupOf}\n`));
      parts.push(Buffer.from(lines[lines.length - 1]!.slice(0, 30))); // truncated last line, no newline
      const input = join(dir, 'corrupted.ndjson');
      writeFileSync(input, Buffer.concat(parts));

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
      expect(corrupted.size / eventLines.length).toBeGreaterThanOrEqual(0.045);

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
});
