import type { AccountRecord, AccountResult, ModelRelease } from '../domain/index.js';
import type { DirtyDrain } from '../detectors/index.js';
import type { DeadLetter } from '../ingest/index.js';

/** Applied in a partition's stream before the line it is attached to. */
export type Control =
  /** Event time reached `now`: the pass of ordinal `n` needs this partition's changed accounts (all sketched when `complete`). */
  | { t: 'tick'; n: number; now: number; complete: boolean }
  | { t: 'account'; record: AccountRecord }
  | { t: 'release'; record: ModelRelease };

/**
 * Messages between the scan's main thread and its partition workers. Each worker owns the
 * accounts whose hash falls in its partition, so per-account state never crosses threads;
 * signup and release records are broadcast, because some signals compare accounts. Workers
 * never wait for the correlation pass: its flags are kept by the main thread (ExternalFlags).
 */
export type ToWorker =
  | { t: 'init'; index: number; partitions: number; calibration: unknown; dedupWindowMs: number | undefined }
  /**
   * Raw NDJSON lines of one file routed to this partition, in input order: `bytes` holds them
   * separated by byte 10 (transferred, not copied), `lineNos[i]` is line i's number, and each
   * control applies before line `at` (`at` = line count: after the last line).
   */
  | {
      t: 'batch';
      seq: number;
      file: string;
      bytes: Uint8Array;
      lineNos: Float64Array;
      controls: Array<{ at: number; c: Control }>;
    }
  | { t: 'finish' };

export interface TickDrain {
  n: number;
  drain: DirtyDrain;
}

export type FromWorker =
  | {
      t: 'done';
      seq: number;
      dead: DeadLetter[];
      accepted: number;
      duplicates: number;
      events: number;
      ticks: TickDrain[];
    }
  | { t: 'results'; results: AccountResult[] }
  | { t: 'error'; message: string };

/** Which partition owns an account: FNV-1a over the id, stable across runs and processes. */
export function partitionOf(account: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < account.length; i++) h = Math.imul(h ^ account.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/**
 * Reads a top-level string field from a raw NDJSON line without parsing it. Returns null
 * when the answer is not certain (key absent, repeated, spaced, or escaped), and the caller
 * then parses the line: a quote inside a JSON string is always escaped, so an unescaped
 * `"account":"` can only be a key.
 */
export function rawStringField(line: string, key: string): string | null {
  const quoted = `"${key}"`;
  const at = line.indexOf(quoted);
  // The key must occur exactly once in the line, directly followed by :" (no spaces).
  if (at < 0 || line.indexOf(quoted, at + 1) >= 0 || !line.startsWith(':"', at + quoted.length)) return null;
  const start = at + quoted.length + 2;
  const end = line.indexOf('"', start);
  if (end < 0) return null;
  const value = line.slice(start, end);
  return value.includes('\\') ? null : value;
}

/** The event time of a raw line (`"ts":"<ISO>"` or `"ts":<ms>`), or null when not certain. */
export function rawTs(line: string): number | null {
  const quoted = '"ts"';
  const at = line.indexOf(quoted);
  if (at < 0 || line.indexOf(quoted, at + 1) >= 0 || line.charCodeAt(at + quoted.length) !== 58 /* : */)
    return null;
  const i0 = at + quoted.length + 1;
  if (line.charCodeAt(i0) === 34 /* " */) {
    const end = line.indexOf('"', i0 + 1);
    if (end < 0) return null;
    const t = Date.parse(line.slice(i0 + 1, end));
    return Number.isNaN(t) ? null : t;
  }
  let n = 0;
  let i = i0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  // Only a plain integer ends the value; a fraction or exponent is left to the full parser.
  const next = line.charCodeAt(i);
  return i > i0 && i - i0 < 16 && (next === 44 || next === 125) ? n : null;
}
