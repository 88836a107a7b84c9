import type { z } from 'zod';
import { AccountRecord, ModelRelease, TrafficEvent, type IngestRecord } from '../domain/index.js';
import { fastEvent } from './fast-event.js';
import type { ConvertProblem } from './types.js';

type Validated = { ok: true; record: IngestRecord } | { ok: false; problem: ConvertProblem };

/** Validates one candidate against the schema its `type` names, with a precise reason on failure. */
export function validateCandidate(value: unknown): Validated {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      problem: {
        reason: `expected a JSON object, found ${describe(value)}`,
        expected: 'object',
        found: describe(value),
      },
    };
  }
  const type = (value as { type?: unknown }).type;
  if (type === undefined || type === 'event') {
    const fast = fastEvent(value as Record<string, unknown>);
    if (fast) return { ok: true, record: { kind: 'event', event: fast } };
    // Without `reportInput` zod parses ~40% faster; the input is asked for only to explain a failure.
    const r = TrafficEvent.safeParse(value);
    if (r.success) return { ok: true, record: { kind: 'event', event: r.data } };
    const again = TrafficEvent.safeParse(value, { reportInput: true });
    return { ok: false, problem: problemFrom(again.error ?? r.error) };
  }
  if (type === 'account') {
    const r = parsePrecise(AccountRecord, value);
    return r.success
      ? { ok: true, record: { kind: 'account', account: r.data } }
      : { ok: false, problem: problemFrom(r.error) };
  }
  if (type === 'model_release') {
    const r = parsePrecise(ModelRelease, value);
    return r.success
      ? { ok: true, record: { kind: 'model_release', release: r.data } }
      : { ok: false, problem: problemFrom(r.error) };
  }
  return {
    ok: false,
    problem: {
      reason: `field "type": expected "event", "account" or "model_release", found ${describe(type)}`,
      field: 'type',
      expected: 'event|account|model_release',
      found: describe(type),
    },
  };
}

/**
 * `schema.safeParse` that asks zod for the offending input only when there is a failure to
 * explain: with `reportInput` zod parses markedly slower even when the input is valid.
 */
export function parsePrecise<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.ZodSafeParseResult<z.output<T>> {
  const r = schema.safeParse(value);
  return r.success ? r : schema.safeParse(value, { reportInput: true });
}

/** Turns the first zod issue into "field X: expected Y, found Z" (the first is the one to fix first). */
export function problemFrom(error: z.ZodError): ConvertProblem {
  const issue = error.issues[0];
  if (!issue) return { reason: 'invalid record' };
  const field = issue.path.map(String).join('.') || '(record)';
  const found = 'input' in issue ? describe(foundValue(issue)) : undefined;
  const expected = expectedOf(issue);
  const more =
    error.issues.length > 1
      ? ` (+${error.issues.length - 1} more issue${error.issues.length > 2 ? 's' : ''})`
      : '';
  const base =
    expected !== undefined ? `field "${field}": expected ${expected}` : `field "${field}": ${issue.message}`;
  const reason = found !== undefined ? `${base}, found ${found}${more}` : `${base}${more}`;
  return {
    reason,
    field,
    ...(expected !== undefined ? { expected } : {}),
    ...(found !== undefined ? { found } : {}),
  };
}

function expectedOf(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return issue.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'too_small':
      return `${issue.origin === 'string' ? 'length' : 'value'} ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin === 'string' ? 'length' : 'value'} ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format;
    case 'invalid_union':
      return unionExpected(issue);
    case 'custom':
      // Refinement messages read "expected …"; the reason adds its own "expected".
      return issue.message.replace(/^expected /, '');
    case 'invalid_element':
    case 'invalid_key':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return issue.message;
  }
}

/** What each branch of a union wanted (e.g. "ipv4 | ipv6", "number | string"), not just "no branch matched". */
function unionExpected(issue: z.core.$ZodIssueInvalidUnion): string {
  const wants = new Set<string>();
  for (const branch of issue.errors) {
    const first = branch[0];
    const want = first ? expectedOf(first) : undefined;
    if (want !== undefined && first?.path.length === 0) wants.add(want);
  }
  return wants.size ? [...wants].join(' | ') : 'one of the allowed shapes';
}

/**
 * The value the issue is about. An object-level refinement (e.g. "messages or prompt") reports
 * the whole object as its input; the field it names is what was found (usually nothing).
 */
function foundValue(issue: z.core.$ZodIssue): unknown {
  const input = issue.input;
  const last = issue.path[issue.path.length - 1];
  if (
    issue.code === 'custom' &&
    last !== undefined &&
    input !== null &&
    typeof input === 'object' &&
    !Array.isArray(input)
  ) {
    return (input as Record<PropertyKey, unknown>)[last];
  }
  return input;
}

/** A short, safe description of a value found in the input (truncated; never the whole thing). */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'object') return 'object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return `${typeof v} ${String(v)}`;
  return typeof v;
}
