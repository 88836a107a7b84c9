import { open } from 'node:fs/promises';

/** 16 MiB reads: measured ~2x faster than readline on this project's event files. */
const CHUNK_BYTES = 16 * 1024 * 1024;
const NEWLINE = 10;

/**
 * Calls `onLine` for each non-blank line of a file, with its 1-based line number.
 * Reads in large buffers and splits on byte 10 by hand; a newline byte never occurs
 * inside a multi-byte UTF-8 sequence, so decoding line by line is safe.
 *
 * @example
 * await forEachLine('labels.ndjson', (text, line) => console.log(line, text.length));
 */
export async function forEachLine(
  path: string,
  onLine: (text: string, line: number) => void,
  chunkBytes: number = CHUNK_BYTES,
): Promise<void> {
  const fh = await open(path, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    let lineNo = 0;
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
        lineNo += 1;
        emit(buf, start, nl, lineNo, onLine);
        start = nl + 1;
      }
      // Copy the tail: `chunk` is reused by the next read.
      carry = Buffer.from(buf.subarray(start));
    }
    if (carry.length > 0) emit(carry, 0, carry.length, lineNo + 1, onLine);
  } finally {
    await fh.close();
  }
}

function emit(buf: Buffer, start: number, end: number, lineNo: number, onLine: (text: string, line: number) => void): void {
  let e = end;
  if (e > start && buf[e - 1] === 13) e -= 1; // tolerate CRLF
  const text = buf.toString('utf8', start, e);
  if (text.trim() === '') return;
  onLine(text, lineNo);
}
