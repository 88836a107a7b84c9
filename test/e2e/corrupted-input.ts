import { readFileSync, writeFileSync } from 'node:fs';

/** Every kind of corruption the scan must survive, each applied to a valid line. */
export const CORRUPTIONS: Array<{ name: string; apply: (line: string) => Buffer; reason: RegExp }> = [
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

export type Corruption = (typeof CORRUPTIONS)[number];

/**
 * Writes `out`: the simulated `events` file with 5% of its event lines corrupted (each kind in
 * turn), one duplicate event and a truncated last line without a newline. Returns which
 * 0-based line got which corruption, and the input's line count.
 */
export function writeCorrupted(
  events: string,
  out: string,
): { corrupted: Map<number, Corruption>; lines: string[]; eventLines: number } {
  const lines = readFileSync(events, 'utf8').split('\n').filter(Boolean);
  const eventLines = lines
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => !l.includes('"type":"account"') && !l.includes('"type":"model_release"'));
  const step = Math.floor(100 / 5);
  const corrupted = new Map<number, Corruption>();
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
  writeFileSync(out, Buffer.concat(parts));
  return { corrupted, lines, eventLines: eventLines.length };
}
