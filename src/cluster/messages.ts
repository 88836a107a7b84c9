import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AccountResult, AccountSketch, Finding } from '../domain/index.js';
import type { DeadLetter } from '../ingest/index.js';

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
  /** `complete`: the final pass, where every account changed since its last sketch is re-sketched. */
  z.object({ k: z.literal('tick'), tick: tickId, complete: z.boolean().default(false) }),
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

/** What the ingest role counted in one run (lines it read, records it accepted or set aside itself). */
const ingestCounts = z.object({
  files: z.number().int(),
  bytes_read: z.number().int(),
  lines_read: z.number().int(),
  blank_lines: z.number().int(),
  records_read: z.number().int(),
  /** Signup and release records (broadcast); event lines are accepted or rejected by workers. */
  accepted: z.number().int(),
  dead_lettered: z.number().int(),
  by_kind: z.object({ account: z.number().int(), model_release: z.number().int() }),
});
export type IngestSummary = z.infer<typeof ingestCounts>;

const deadLetter = z.custom<DeadLetter>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { file?: unknown }).file === 'string',
);

/**
 * Workers (and ingest) → correlator. Large payloads are split into parts; the receiver waits
 * for all. `results` with `final: false` are the periodic results of a live stream (accounts
 * changed since the previous emission), with `final: true` every account at a finish marker.
 */
export const UpMsg = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('sketches'),
    p: z.number().int(),
    tick: tickId,
    part: z.number().int(),
    parts: z.number().int().positive(),
    /** Fresh sketches, and [account, exchanges] for changed accounts whose last sketch stands. */
    sketches: z.array(
      z.union([
        z.tuple([z.string(), z.number().int().nonnegative()]),
        z.custom<AccountSketch>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
      ]),
    ),
  }),
  z.object({
    k: z.literal('results'),
    p: z.number().int(),
    tick: tickId,
    part: z.number().int(),
    parts: z.number().int().positive(),
    results: z.array(z.custom<AccountResult>((v) => typeof v === 'object' && v !== null)),
    counts: workerCounts,
    final: z.boolean().default(true),
  }),
  /** Lines set aside, by ingest (`p` null: unreadable, malformed, invalid records) or by a worker (invalid events). */
  z.object({ k: z.literal('dead'), p: z.number().int().nullable(), dead: z.array(deadLetter) }),
  /** Ingest's counts for one run, sent before that run's finish markers (tick `finish`). */
  z.object({ k: z.literal('ingest'), finish: tickId, counts: ingestCounts }),
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
export const encode = (m: EventsMsg | z.input<typeof UpMsg> | FlagsMsg): Uint8Array =>
  enc.encode(JSON.stringify(m));
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

/**
 * Encodes a list as one or more messages `{...head, part, parts, [key]: items}` under
 * `maxBytes` each (under the broker's payload limit), serialising every item once: this runs
 * on the tick path, where measuring sizes with one stringify and encoding with another cost
 * a tenth of a worker's time.
 */
export function encodeParts(
  head: Record<string, unknown>,
  key: string,
  items: readonly unknown[],
  maxBytes = MAX_MSG_BYTES,
): Uint8Array[] {
  const groups: string[][] = [[]];
  let bytes = 0;
  for (const item of items) {
    const s = JSON.stringify(item);
    if (bytes + s.length > maxBytes && groups[groups.length - 1]!.length > 0) {
      groups.push([]);
      bytes = 0;
    }
    groups[groups.length - 1]!.push(s);
    bytes += s.length + 1;
  }
  const prefix = JSON.stringify(head).slice(0, -1);
  return groups.map((g, i) =>
    enc.encode(
      `${prefix}${prefix.length > 1 ? ',' : ''}"part":${i},"parts":${groups.length},${JSON.stringify(key)}:[${g.join(',')}]}`,
    ),
  );
}
