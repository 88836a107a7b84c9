import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { Ingestor } from './ingest.js';

/**
 * Streaming a large input keeps memory flat: the retained heap after 300k events is within a
 * small margin of the retained heap after 50k. The events span 60 days of event time, so the
 * dedup window (24 h) must forget old ids for this to hold.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TOTAL = 300_000;
const SMALL = 50_000;
const SPAN_MS = 60 * 24 * 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'stillwatch-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(path: string, total: number): void {
  const fd = openSync(path, 'w');
  const t0 = Date.UTC(2026, 0, 1);
  let buf: string[] = [];
  for (let i = 0; i < total; i++) {
    const e = {
      id: `ev-${i}`,
      ts: t0 + Math.floor((i / TOTAL) * SPAN_MS),
      account: `acct_${i % 5000}`,
      model: i % 7 === 0 ? 'gpt-5' : 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: `Question ${i}: explain topic ${i % 997} step by step, with examples and counterexamples.`,
        },
      ],
      ip: `198.51.${(i >> 8) & 255}.${i & 255}`,
      params: { temperature: 0.7, max_tokens: 512 },
      usage: { input_tokens: 40 + (i % 50), output_tokens: 300 },
      output: 'An answer of moderate length that a model might return for this question.',
      status: 200,
      latency_ms: 1200,
    };
    buf.push(JSON.stringify(e));
    if (buf.length === 10_000) {
      writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
}

function retainedHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Streams a file through the Ingestor, sampling the retained heap every 50k events. */
async function stream(
  path: string,
): Promise<{ ing: Ingestor; seen: number; peak: number; checksum: number }> {
  const ing = new Ingestor([path], { onDeadLetter: () => undefined });
  let seen = 0;
  let peak = 0;
  let checksum = 0;
  for await (const batch of ing.records()) {
    for (const r of batch) if (r.kind === 'event') checksum += r.event.usage?.input_tokens ?? 0;
    const before = seen;
    seen += batch.length;
    if (Math.floor(before / 50_000) !== Math.floor(seen / 50_000)) peak = Math.max(peak, retainedHeap());
  }
  return { ing, seen, peak, checksum };
}

describe('ingest: memory', () => {
  it('stays flat while streaming 300k events', async () => {
    const small = join(dir, 'small.ndjson');
    const big = join(dir, 'big.ndjson');
    generate(small, SMALL);
    generate(big, TOTAL);
    const started = Date.now();
    let a: Awaited<ReturnType<typeof stream>> | null = await stream(small);
    expect(a.ing.counts).toMatchObject({ records_read: SMALL, accepted: SMALL });
    const afterSmall = retainedHeap();
    a = null;
    const b = await stream(big);
    const afterBig = retainedHeap();
    const seconds = (Date.now() - started) / 1000;
    const growthMiB = (afterBig - afterSmall) / 1048576;
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    console.log(
      `memory: ${SMALL + TOTAL} events in ${seconds.toFixed(1)} s (${Math.round((SMALL + TOTAL) / seconds)}/s); retained heap after ${SMALL}: ${mib(afterSmall)} MiB, after ${TOTAL}: ${mib(afterBig)} MiB (growth ${growthMiB.toFixed(1)} MiB); mid-stream peak ${mib(b.peak)} MiB`,
    );
    expect(b.ing.counts).toMatchObject({ records_read: TOTAL, accepted: TOTAL, dead_lettered: 0 });
    expect(b.checksum).toBeGreaterThan(0);
    // What the ingestor keeps (the dedup window) must not grow with input: 250k more events,
    // about 1 KB each if anything were kept per event, would be ~250 MB.
    expect(growthMiB).toBeLessThan(8);
    // In flight: one 16 MiB chunk, its text and its batch of records.
    expect(b.peak).toBeLessThan(200 * 1048576);
  });
});
