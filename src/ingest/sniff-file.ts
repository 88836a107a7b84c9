import { mayBeWholeDocument } from './inputs.js';
import { sniffFormat } from './formats/registry.js';
import { openByteStream } from './line-reader.js';
import type { FormatName } from './types.js';

/**
 * The format of a file judged by its first non-blank line (reads at most the first chunk).
 * Returns null when that line is not JSON or the file may be one whole document.
 */
export async function sniffFileFormat(file: string): Promise<FormatName | null> {
  if (mayBeWholeDocument(file)) return null;
  const stream = await openByteStream(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) {
        const t = line.trim();
        if (t === '') continue;
        try {
          return sniffFormat(JSON.parse(t.replace(/^\uFEFF/, ''))).name;
        } catch {
          return null;
        }
      }
    }
    return null;
  } finally {
    stream.destroy();
  }
}
