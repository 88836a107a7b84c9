import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { TrafficEventInput } from '../../domain/index.js';
import type { EventSink } from '../../ports/index.js';

export interface NdjsonFileSinkOptions {
  /** How often buffered lines are written (default 200 ms). */
  flushIntervalMs?: number;
  /** Lines held in memory before new ones are dropped (and counted) because the disk is behind. */
  maxBuffered?: number;
  onError?: (err: Error) => void;
}

/**
 * Appends one TrafficEvent per line to a file that `stillwatch scan` reads. Lines are
 * batched so recording costs the request path a push onto an array.
 * @example
 * const sink = createNdjsonFileSink('out/gateway-events.ndjson');
 */
export function createNdjsonFileSink(path: string, options: NdjsonFileSinkOptions = {}): EventSink {
  mkdirSync(dirname(path), { recursive: true });
  const out: WriteStream = createWriteStream(path, { flags: 'a' });
  const maxBuffered = options.maxBuffered ?? 100_000;
  let buffer: string[] = [];
  let recorded = 0;
  let written = 0;
  let dropped = 0;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();
  out.on('error', (err) => options.onError?.(err));

  function writeBatch(): Promise<void> {
    if (buffer.length === 0) return writing;
    const lines = buffer;
    buffer = [];
    writing = writing.then(
      () =>
        new Promise<void>((resolve) => {
          out.write(lines.join(''), (err) => {
            if (err) dropped += lines.length;
            else written += lines.length;
            resolve();
          });
        }),
    );
    return writing;
  }
  const timer = setInterval(() => void writeBatch(), options.flushIntervalMs ?? 200);
  timer.unref();

  return {
    kind: 'ndjson-file',
    record(event) {
      recorded++;
      if (closed || buffer.length >= maxBuffered) {
        dropped++;
        return;
      }
      buffer.push(`${JSON.stringify(event)}\n`);
    },
    flush: () => writeBatch(),
    async close() {
      if (closed) return;
      clearInterval(timer);
      await writeBatch();
      closed = true;
      await new Promise<void>((resolve) => out.end(resolve));
    },
    stats: () => ({ recorded, written, dropped }),
  };
}

export type { TrafficEventInput };
