import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines, type LineItem } from './line-reader.js';

/**
 * Property: however a byte stream is cut into reads, the splitter yields the same items (text
 * lines with their numbers, bad lines with their reasons) as when the stream arrives in one read.
 * Reads cut lines anywhere: inside a multi-byte character, between CR and LF, inside a BOM.
 */

function reads(bytes: Buffer, cuts: number[]): Readable {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    chunks.push(bytes.subarray(at, cut));
    at = cut;
  }
  if (at < bytes.length) chunks.push(bytes.subarray(at));
  return Readable.from(chunks);
}

async function items(bytes: Buffer, cuts: number[]): Promise<LineItem[]> {
  const out: LineItem[] = [];
  for await (const batch of splitLines(reads(bytes, cuts))) out.push(...batch);
  return out;
}

const piece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('\n', '\r\n', '\n\n', 'é', '漢字', '🙂', '\ufeff', '{"a":1}'),
  // Control characters and Latin-1 letters (two UTF-8 bytes each), as text.
  fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('splitLines: read boundaries', () => {
  it('gives the same lines and line numbers whatever the reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.nat({ max: 600 }), { maxLength: 12 }),
        async (bom, parts, cuts) => {
          const body = Buffer.from(parts.join(''), 'utf8');
          const bytes = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
          expect(await items(bytes, cuts)).toEqual(await items(bytes, []));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports invalid UTF-8 at the same line and byte whatever the reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constant(new Uint8Array([10]))), {
          maxLength: 30,
        }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 10 }),
        async (parts, cuts) => {
          const bytes = Buffer.concat(parts.map((p) => Buffer.from(p)));
          expect(await items(bytes, cuts)).toEqual(await items(bytes, []));
        },
      ),
      { numRuns: 300 },
    );
  });
});
