import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../ingest/index.js';
import { LineOrderedDeadLetters } from './dead-letter-order.js';

const letter = (file: string, line: number): DeadLetter => ({
  file,
  line,
  format: 'ndjson',
  reason: 'malformed JSON',
  raw: '',
  raw_bytes: 0,
});

describe('LineOrderedDeadLetters', () => {
  it('holds a dead letter until no open batch holds an earlier line', () => {
    const out: number[] = [];
    const order = new LineOrderedDeadLetters((d) => out.push(d.line));
    order.opened(0, 0, 1); // batch 0 holds lines from 1
    order.add(0, letter('a', 5)); // found by the main thread
    expect(out).toEqual([]);
    order.opened(1, 0, 7);
    order.closed(1, [letter('a', 8)]);
    expect(out).toEqual([]);
    order.closed(0, [letter('a', 3)]);
    expect(out).toEqual([3, 5, 8]);
    expect(order.pending).toBe(0);
  });

  it('writes every dead letter once, in file then line order, whatever order batches finish in', () => {
    fc.assert(
      fc.property(
        // Lines of two files, each routed to one of 3 partitions or rejected by the main thread (-1), some bad.
        fc.array(fc.record({ part: fc.integer({ min: -1, max: 2 }), bad: fc.boolean() }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 59 }),
        fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
        (lines, split, shuffle) => {
          const out: DeadLetter[] = [];
          const order = new LineOrderedDeadLetters((d) => out.push(d));
          // Batches of up to 4 lines per partition, filled in input order; finished later in any order.
          let nextId = 0;
          const filling = new Map<number, { id: number; file: number; dead: DeadLetter[]; n: number }>();
          const done: { id: number; dead: DeadLetter[] }[] = [];
          const expected: string[] = [];
          lines.forEach((l, i) => {
            const file = i < split ? 0 : 1;
            const name = `f${file}`;
            const line = file === 0 ? i + 1 : i - split + 1;
            if (l.bad) expected.push(`${name}:${line}`);
            if (l.part < 0) {
              if (l.bad) order.add(file, letter(name, line));
              return;
            }
            let b = filling.get(l.part);
            // A batch never spans two files: the scan sends every batch at the end of each file.
            if (b === undefined || b.n === 4 || b.file !== file) {
              if (b !== undefined) done.push(b);
              b = { id: nextId++, file, dead: [], n: 0 };
              filling.set(l.part, b);
              order.opened(b.id, file, line);
            }
            b.n++;
            if (l.bad) b.dead.push(letter(name, line));
          });
          for (const b of filling.values()) done.push(b);
          done.sort((x, y) => (shuffle[x.id % 60] ?? 0) - (shuffle[y.id % 60] ?? 0));
          for (const b of done) order.closed(b.id, b.dead);
          expect(order.pending).toBe(0);
          expect(out.map((d) => `${d.file}:${d.line}`)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
