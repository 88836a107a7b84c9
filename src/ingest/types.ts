import type { IngestRecord } from '../domain/index.js';

export type FormatName = 'ndjson' | 'otlp' | 'openai';
export const FORMAT_NAMES: readonly FormatName[] = ['ndjson', 'otlp', 'openai'];

/** Where a record came from: file and 1-based line, plus a JSON path for multi-record lines. */
export interface Location {
  file: string;
  line: number;
  path?: string;
}

/** One line or record that could not be accepted, with a precise reason. */
export interface DeadLetter extends Location {
  format: FormatName | 'unknown';
  reason: string;
  field?: string;
  expected?: string;
  found?: string;
  /** The start of the offending input (at most 1 KiB), for a human to look at. */
  raw: string;
  raw_bytes: number;
}

/** A plain object produced by a format converter, still to be validated against the domain schemas. */
export interface Candidate {
  path?: string;
  value: unknown;
  /**
   * JSON of the sub-value this candidate came from (e.g. one span), shown in its dead letter
   * instead of the whole line; a thunk so that valid records never pay for serialising it.
   */
  raw?: string | (() => string);
}

export interface ConvertProblem {
  path?: string;
  reason: string;
  field?: string;
  expected?: string;
  found?: string;
  /** As Candidate.raw. */
  raw?: string | (() => string);
}

/** What a converter returns. `skipped` counts items it recognised and deliberately left out (e.g. non-GenAI spans). */
export interface Conversion {
  candidates: Candidate[];
  problems: ConvertProblem[];
  skipped?: number;
}

/**
 * A source format converts one parsed JSON value (one line, or one whole document) into
 * candidate records. Converters are pure and never throw on bad input: they return problems.
 */
export interface SourceFormat {
  readonly name: FormatName;
  sniff(value: unknown): boolean;
  convert(value: unknown): Conversion;
}

export interface IngestCounts {
  files: number;
  bytes_read: number;
  /** Physical lines, blank ones included. */
  lines_read: number;
  blank_lines: number;
  /** Records found in the input: one per non-blank NDJSON line, possibly several per OTLP line. */
  records_read: number;
  accepted: number;
  dead_lettered: number;
  duplicates: number;
  /**
   * Items inside a record container that are not records at all: OTLP spans and log records
   * with no gen_ai.* attributes, or GenAI spans that are not a model exchange (tool, agent).
   * Not part of records_read, so records_read = accepted + dead_lettered + duplicates holds.
   */
  skipped: number;
  by_kind: { event: number; account: number; model_release: number };
  by_format: Record<string, number>;
}

export interface LocatedRecord {
  record: IngestRecord;
  loc: Location;
}

export function emptyCounts(): IngestCounts {
  return {
    files: 0,
    bytes_read: 0,
    lines_read: 0,
    blank_lines: 0,
    records_read: 0,
    accepted: 0,
    dead_lettered: 0,
    duplicates: 0,
    skipped: 0,
    by_kind: { event: 0, account: 0, model_release: 0 },
    by_format: {},
  };
}
