import { describe } from '../validate.js';
import type { ConvertProblem } from '../types.js';

/**
 * OTLP/JSON attribute values decoded into plain JS values. The JSON encoding wraps every value
 * (`{stringValue}`, `{intValue: "42"}` — 64-bit ints travel as strings —, `{doubleValue}`,
 * `{boolValue}`, `{arrayValue: {values}}`, `{kvlistValue: {values}}`, `{bytesValue}` base64).
 */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

type Decoded = { ok: true; value: Plain; kind: string } | { ok: false; found: string };

/** A problem with one named field; thrown inside a converter and caught per span / log record. */
export class FieldProblem extends Error {
  constructor(readonly problem: ConvertProblem) {
    super(problem.reason);
  }
}

export function fieldProblem(field: string, expected: string, found: string, extra = ''): FieldProblem {
  return new FieldProblem({
    reason: `attribute "${field}": expected ${expected}, found ${found}${extra}`,
    field,
    expected,
    found,
  });
}

const INT_TEXT = /^-?\d{1,18}$/;

export function decodeAnyValue(v: unknown): Decoded {
  if (v === null || v === undefined) return { ok: true, value: null, kind: 'empty' };
  if (typeof v !== 'object' || Array.isArray(v))
    return { ok: false, found: `${describe(v)} (not an AnyValue object)` };
  const o = v as Record<string, unknown>;
  if ('stringValue' in o)
    return typeof o['stringValue'] === 'string'
      ? { ok: true, value: o['stringValue'], kind: 'stringValue' }
      : { ok: false, found: `stringValue ${describe(o['stringValue'])}` };
  if ('intValue' in o) return decodeInt(o['intValue']);
  if ('doubleValue' in o) return decodeDouble(o['doubleValue']);
  if ('boolValue' in o)
    return typeof o['boolValue'] === 'boolean'
      ? { ok: true, value: o['boolValue'], kind: 'boolValue' }
      : { ok: false, found: `boolValue ${describe(o['boolValue'])}` };
  if ('bytesValue' in o)
    return typeof o['bytesValue'] === 'string'
      ? { ok: true, value: o['bytesValue'], kind: 'bytesValue' }
      : { ok: false, found: `bytesValue ${describe(o['bytesValue'])}` };
  if ('arrayValue' in o) return decodeArray(o['arrayValue']);
  if ('kvlistValue' in o) return decodeKvlist(o['kvlistValue']);
  return { ok: true, value: null, kind: 'empty' };
}

function decodeInt(x: unknown): Decoded {
  if (typeof x === 'string' && INT_TEXT.test(x)) return { ok: true, value: Number(x), kind: 'intValue' };
  if (typeof x === 'number' && Number.isSafeInteger(x)) return { ok: true, value: x, kind: 'intValue' };
  return { ok: false, found: `intValue ${describe(x)}` };
}

function decodeDouble(x: unknown): Decoded {
  if (typeof x === 'number') return { ok: true, value: x, kind: 'doubleValue' };
  // proto3 JSON spells the non-finite doubles as strings; they are kept so that validation names them.
  if (x === 'NaN' || x === 'Infinity' || x === '-Infinity')
    return { ok: true, value: Number(x), kind: 'doubleValue' };
  return { ok: false, found: `doubleValue ${describe(x)}` };
}

function decodeArray(x: unknown): Decoded {
  const values = x !== null && typeof x === 'object' ? (x as { values?: unknown }).values : undefined;
  if (values === undefined) return { ok: true, value: [], kind: 'arrayValue' };
  if (!Array.isArray(values)) return { ok: false, found: `arrayValue.values ${describe(values)}` };
  const out: Plain[] = [];
  for (const item of values) {
    const d = decodeAnyValue(item);
    if (!d.ok) return { ok: false, found: `arrayValue element ${d.found}` };
    out.push(d.value);
  }
  return { ok: true, value: out, kind: 'arrayValue' };
}

function decodeKvlist(x: unknown): Decoded {
  const values = x !== null && typeof x === 'object' ? (x as { values?: unknown }).values : undefined;
  if (values === undefined) return { ok: true, value: {}, kind: 'kvlistValue' };
  if (!Array.isArray(values)) return { ok: false, found: `kvlistValue.values ${describe(values)}` };
  const out: Record<string, Plain> = {};
  for (const kv of values) {
    const key = kv !== null && typeof kv === 'object' ? (kv as { key?: unknown }).key : undefined;
    if (typeof key !== 'string') return { ok: false, found: `kvlistValue entry without a string key` };
    const d = decodeAnyValue((kv as { value?: unknown }).value);
    if (!d.ok) return { ok: false, found: `kvlistValue["${key}"] ${d.found}` };
    out[key] = d.value;
  }
  return { ok: true, value: out, kind: 'kvlistValue' };
}

/**
 * The attributes of one span or log record, looked up in order: the item's own attributes,
 * then its scope's, then its resource's. Values are decoded lazily, only for keys a converter
 * asks for, so a malformed attribute nobody reads never rejects a record.
 */
export class AttrBag {
  constructor(private readonly layers: readonly Map<string, unknown>[]) {}

  static layer(attributes: unknown, where: string): Map<string, unknown> {
    const m = new Map<string, unknown>();
    if (attributes === undefined || attributes === null) return m;
    if (!Array.isArray(attributes))
      throw new FieldProblem({
        reason: `field "${where}": expected an array of {key, value}, found ${describe(attributes)}`,
        field: where,
        expected: 'array',
        found: describe(attributes),
      });
    attributes.forEach((kv, i) => {
      const key = kv !== null && typeof kv === 'object' ? (kv as { key?: unknown }).key : undefined;
      if (typeof key !== 'string')
        throw new FieldProblem({
          reason: `field "${where}[${i}].key": expected string, found ${describe(key)}`,
          field: `${where}[${i}].key`,
          expected: 'string',
          found: describe(key),
        });
      // The first occurrence wins, as most OTLP consumers do with duplicate keys.
      if (!m.has(key)) m.set(key, (kv as { value?: unknown }).value);
    });
    return m;
  }

  /** True if any layer in `upTo` (0 = own attributes) has a key with this prefix. */
  hasPrefix(prefix: string, upTo = 0): boolean {
    for (let i = 0; i <= upTo && i < this.layers.length; i++)
      for (const k of this.layers[i]?.keys() ?? []) if (k.startsWith(prefix)) return true;
    return false;
  }

  ownKeys(): IterableIterator<string> {
    return (this.layers[0] ?? new Map<string, unknown>()).keys();
  }

  /** The decoded value of the first layer holding `key`, or undefined; throws on a malformed value. */
  get(key: string): { value: Plain; kind: string } | undefined {
    for (const layer of this.layers) {
      if (!layer.has(key)) continue;
      const d = decodeAnyValue(layer.get(key));
      if (!d.ok) throw fieldProblem(key, 'an OTLP AnyValue', d.found);
      return d.kind === 'empty' ? undefined : d;
    }
    return undefined;
  }

  str(key: string): string | undefined {
    const d = this.get(key);
    if (d === undefined) return undefined;
    if (typeof d.value !== 'string') throw fieldProblem(key, 'stringValue', `${d.kind} ${describe(d.value)}`);
    return d.value;
  }

  /** An identifier: a string, or an integer some exporters use for numeric ids. Empty counts as absent. */
  ident(key: string): string | undefined {
    const d = this.get(key);
    if (d === undefined) return undefined;
    if (typeof d.value === 'string') return d.value.trim() === '' ? undefined : d.value;
    if (typeof d.value === 'number' && Number.isInteger(d.value)) return String(d.value);
    throw fieldProblem(key, 'stringValue', `${d.kind} ${describe(d.value)}`);
  }

  int(key: string): number | undefined {
    const d = this.get(key);
    if (d === undefined) return undefined;
    if (typeof d.value === 'number' && Number.isInteger(d.value)) return d.value;
    throw fieldProblem(key, 'intValue', `${d.kind} ${describe(d.value)}`);
  }

  num(key: string): number | undefined {
    const d = this.get(key);
    if (d === undefined) return undefined;
    if (typeof d.value === 'number') return d.value;
    throw fieldProblem(key, 'doubleValue or intValue', `${d.kind} ${describe(d.value)}`);
  }

  /** A string array (e.g. finish reasons); a lone string is accepted as a one-element list. */
  strList(key: string): string[] | undefined {
    const d = this.get(key);
    if (d === undefined) return undefined;
    if (typeof d.value === 'string') return [d.value];
    const list = d.value;
    if (Array.isArray(list) && list.every((x): x is string => typeof x === 'string')) return list;
    throw fieldProblem(key, 'arrayValue of strings', `${d.kind} ${describe(d.value)}`);
  }

  /** A structured value given either as JSON text in a stringValue or as array/kvlist values. */
  json(key: string): Plain | undefined {
    const d = this.get(key);
    if (d === undefined) return undefined;
    if (typeof d.value !== 'string') return d.value;
    try {
      return JSON.parse(d.value) as Plain;
    } catch (e) {
      throw fieldProblem(
        key,
        'JSON text',
        `unparseable string ${describe(d.value)}`,
        ` (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }

  /** First present key among `keys` (current name first, deprecated ones after). */
  firstInt(...keys: string[]): number | undefined {
    for (const k of keys) {
      const v = this.int(k);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}
