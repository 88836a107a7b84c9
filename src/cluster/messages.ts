import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AccountResult, AccountSketch, Finding } from '../domain/index.js';

/**
 * Messages of the scale-out mode: the same protocol as the worker-thread scan
 * (src/pipeline/partition-protocol.ts) carried over JetStream. Every partition's event
 * subject holds lines, broadcast signup/release records and event-time ticks in one order,
 * so a worker replaying its subject rebuilds exactly the state it had.
 */
const tickId = z.object({ n: z.number().int().nonnegative(), now: z.number() });
export const EventsMsg = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('lines'),
    file: z.string(),
    lines: z.array(z.string()),
    lineNos: z.array(z.number().int()),
  }),
  z.object({ k: z.literal('account'), record: z.record(z.string(), z.unknown()) }),
  z.object({ k: z.literal('release'), record: z.record(z.string(), z.unknown()) }),
  z.object({ k: z.literal('tick'), tick: tickId }),
  z.object({ k: z.literal('finish'), tick: tickId }),
]);
export type EventsMsg = z.infer<typeof EventsMsg>;

const workerCounts = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  events: z.number().int(),
  dead_lettered: z.number().int(),
});
export type WorkerCounts = z.infer<typeof workerCounts>;

/** Workers → correlator. Large payloads are split into parts; the receiver waits for all. */
export const UpMsg = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('sketches'),
    p: z.number().int(),
    tick: tickId,
    part: z.number().int(),
    parts: z.number().int().positive(),
    sketches: z.array(z.custom<AccountSketch>((v) => typeof v === 'object' && v !== null)),
  }),
  z.object({
    k: z.literal('results'),
    p: z.number().int(),
    tick: tickId,
    part: z.number().int(),
    parts: z.number().int().positive(),
    results: z.array(z.custom<AccountResult>((v) => typeof v === 'object' && v !== null)),
    counts: workerCounts,
  }),
]);
export type UpMsg = z.infer<typeof UpMsg>;

export const FlagsMsg = z.object({
  tick: tickId,
  flags: z.array(
    z.object({ account: z.string(), finding: z.custom<Finding>((v) => typeof v === 'object' && v !== null) }),
  ),
});
export type FlagsMsg = z.infer<typeof FlagsMsg>;

const enc = new TextEncoder();
const dec = new TextDecoder();
export const encode = (m: EventsMsg | UpMsg | FlagsMsg): Uint8Array => enc.encode(JSON.stringify(m));
export function decode<T>(schema: z.ZodType<T>, data: Uint8Array): T {
  return schema.parse(JSON.parse(dec.decode(data)));
}

/** Content-derived message id: re-publishing the same input is deduplicated by the broker. */
export function contentId(prefix: string, parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const s of parts) h.update(s).update('\n');
  return `${prefix}:${h.digest('base64url').slice(0, 22)}`;
}

/** Under the broker's default 1 MiB payload limit, with room for the envelope. */
export const MAX_MSG_BYTES = 512 * 1024;

/** Splits a list so each message stays under `maxBytes` of JSON (always at least one part). */
export function chunk<T>(items: readonly T[], maxBytes = MAX_MSG_BYTES): T[][] {
  const out: T[][] = [[]];
  let bytes = 0;
  for (const item of items) {
    const n = JSON.stringify(item).length;
    if (bytes + n > maxBytes && out[out.length - 1]!.length > 0) {
      out.push([]);
      bytes = 0;
    }
    out[out.length - 1]!.push(item);
    bytes += n;
  }
  return out;
}
