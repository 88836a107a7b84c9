import type { LineItem } from './line-reader.js';
import type { ConvertProblem, DeadLetter } from './types.js';

/** The dead-letter record for a problem at file:line, keeping at most 1 KiB of the raw input. */
export function deadLetterOf(
  file: string,
  line: number,
  format: DeadLetter['format'],
  p: ConvertProblem,
  raw: string,
  rawBytes: number = Buffer.byteLength(raw),
): DeadLetter {
  const d: DeadLetter = {
    file,
    line,
    format,
    reason: p.reason,
    raw: raw.length > 1024 ? raw.slice(0, 1024) : raw,
    raw_bytes: rawBytes,
  };
  if (p.path !== undefined) d.path = p.path;
  if (p.field !== undefined) d.field = p.field;
  if (p.expected !== undefined) d.expected = p.expected;
  if (p.found !== undefined) d.found = p.found;
  return d;
}

/** The dead-letter record of a line the splitter rejected (invalid UTF-8, over-long, a read error) in an NDJSON file. */
export function deadLetterOfBadLine(file: string, item: Extract<LineItem, { kind: 'bad' }>): DeadLetter {
  return deadLetterOf(file, item.line, 'ndjson', { reason: item.reason }, item.sample, item.bytes);
}
