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
  /**
   * A batch applied. `ticks` is the JSON of its TickDrain[] ('' when none): the main thread
   * runs every correlation pass, and JSON.parse rebuilds sketches there in about half the time
   * structured clone takes, moving that share of the work onto the workers.
   */
  | {
      t: 'done';
      seq: number;
      dead: DeadLetter[];
      accepted: number;
      duplicates: number;
      events: number;
      ticks: string;
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
  if (at < 0 || line.indexOf(quoted, at + 1) >= 0) return null;
  return tsValue(line, at + quoted.length);
}

/** Where a routable line goes, read from its raw text in one pass. */
export interface RawRoute {
  account: string;
  ts: number;
}

const ROUTING_KEYS = /"(?:account|ts|type)"/g;

/**
 * The account and event time of a raw NDJSON event line, in one regular-expression pass
 * (several times cheaper than one search per key and a second one to prove it unique), or
 * null when the line must be parsed to be sure: `account` or `ts` absent, repeated, spaced or
 * escaped, or a `"type":"account"` / `"type":"model_release"` anywhere (broadcast records).
 * Same answers as `rawStringField(line, 'account')` and `rawTs(line)`.
 */
export function rawRoute(line: string): RawRoute | null {
  let accountAt = -1;
  let tsAt = -1;
  ROUTING_KEYS.lastIndex = 0;
  for (let m = ROUTING_KEYS.exec(line); m !== null; m = ROUTING_KEYS.exec(line)) {
    const end = m.index + m[0].length;
    if (m[0].length === 9) {
      if (accountAt >= 0) return null;
      accountAt = end;
    } else if (m[0].length === 4) {
      if (tsAt >= 0) return null;
      tsAt = end;
    } else if (line.startsWith(':"account"', end) || line.startsWith(':"model_release"', end)) return null;
  }
  if (accountAt < 0 || tsAt < 0 || !line.startsWith(':"', accountAt)) return null;
  const start = accountAt + 2;
  const close = line.indexOf('"', start);
  if (close < 0) return null;
  const account = line.slice(start, close);
  if (account.includes('\\')) return null;
  const ts = tsValue(line, tsAt);
  return ts === null ? null : { account, ts };
}

/** The `ts` value whose key ends at `keyEnd`: an ISO string or plain integer milliseconds. */
function tsValue(line: string, keyEnd: number): number | null {
  if (line.charCodeAt(keyEnd) !== 58 /* : */) return null;
  const i0 = keyEnd + 1;
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
