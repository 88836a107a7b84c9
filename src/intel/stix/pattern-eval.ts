import type { Comparison, Literal, Observation, ObjectPath, Qualifier } from './pattern.js';

/** One observation: the cyber-observable objects seen together, and when. */
export interface PatternObservation {
  ts: number;
  objects: ReadonlyArray<Record<string, unknown>>;
}

const MAX_BINDINGS = 10_000;

function resolvePath(obj: unknown, path: ObjectPath): unknown[] {
  let current: unknown[] = [obj];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'prop') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, step.name)) {
          next.push((v as Record<string, unknown>)[step.name]);
        }
      } else if (Array.isArray(v)) {
        if (step.index === '*') next.push(...(v as unknown[]));
        else if (step.index < v.length) next.push(v[step.index]);
      }
    }
    current = next;
  }
  // A list-valued property with no explicit index matches if any element does (as in the STIX reference matcher).
  return current.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
}

function literalValue(l: Literal): string | number | boolean {
  if (l.kind === 'timestamp') return Date.parse(l.value);
  if (l.kind === 'hex') return l.value.toLowerCase();
  return l.value;
}

function likeToRegExp(like: string): RegExp {
  const body = like
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

function cidrRange(s: string): [number, number] | null {
  const [ip, bitsText] = s.split('/');
  const base = ipv4ToInt(ip ?? '');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

function isSubset(a: string, b: string): boolean {
  const ra = cidrRange(a);
  const rb = cidrRange(b);
  return ra !== null && rb !== null && ra[0] >= rb[0] && ra[1] <= rb[1];
}

function compareOne(actual: unknown, op: string, lit: Literal): boolean {
  const expected = literalValue(lit);
  const a = lit.kind === 'timestamp' && typeof actual === 'string' ? Date.parse(actual) : actual;
  switch (op) {
    case '=':
      return a === expected || (typeof a === 'string' && lit.kind === 'hex' && a.toLowerCase() === expected);
    case '!=':
      return a !== expected;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof a !== typeof expected || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const x = a;
      const y = expected as number | string;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
    case 'LIKE':
      return typeof a === 'string' && likeToRegExp(String(expected)).test(a);
    case 'MATCHES':
      return typeof a === 'string' && new RegExp(String(expected), 's').test(a);
    case 'ISSUBSET':
      return typeof a === 'string' && isSubset(a, String(expected));
    case 'ISSUPERSET':
      return typeof a === 'string' && isSubset(String(expected), a);
    default:
      return false;
  }
}

function evalComparison(c: Comparison, binding: ReadonlyMap<string, Record<string, unknown>>): boolean {
  switch (c.kind) {
    case 'and':
      return evalComparison(c.left, binding) && evalComparison(c.right, binding);
    case 'or':
      return evalComparison(c.left, binding) || evalComparison(c.right, binding);
    case 'exists':
      return resolvePath(binding.get(c.path.objectType), c.path).length > 0;
    case 'in': {
      const hit = resolvePath(binding.get(c.path.objectType), c.path).some((v) =>
        c.values.some((l) => compareOne(v, '=', l)),
      );
      return c.negated ? !hit : hit;
    }
    case 'compare': {
      const values = resolvePath(binding.get(c.path.objectType), c.path);
      if (values.length === 0) return false;
      const hit = values.some((v) => compareOne(v, c.op, c.value));
      return c.negated ? !hit : hit;
    }
  }
}

function typesOf(c: Comparison, out: Set<string>): Set<string> {
  if ('path' in c) {
    out.add(c.path.objectType);
  } else {
    typesOf(c.left, out);
    typesOf(c.right, out);
  }
  return out;
}

/** Comparisons in one `[...]` bind each object type to one object of the observation (spec 9.5). */
function observationMatches(c: Comparison, obs: PatternObservation): boolean {
  const types = [...typesOf(c, new Set())];
  const candidates = types.map((t) => obs.objects.filter((o) => o['type'] === t));
  let bindings: Map<string, Record<string, unknown>>[] = [new Map<string, Record<string, unknown>>()];
  for (let i = 0; i < types.length; i++) {
    const next: Map<string, Record<string, unknown>>[] = [];
    for (const b of bindings) {
      for (const o of candidates[i] ?? []) {
        if (next.length >= MAX_BINDINGS) break;
        next.push(new Map(b).set(types[i] ?? '', o));
      }
    }
    bindings = next;
  }
  return bindings.some((b) => evalComparison(c, b));
}

function applyQualifier(
  q: Qualifier,
  expr: Observation,
  obs: PatternObservation[],
  rest: Qualifier[],
): number[] {
  const inner = (o: PatternObservation[]): number[] => evaluateExpr({ ...expr, qualifiers: rest }, o);
  switch (q.kind) {
    case 'startstop': {
      const start = Date.parse(q.start);
      const stop = Date.parse(q.stop);
      return inner(obs.filter((o) => o.ts >= start && o.ts < stop));
    }
    case 'repeats': {
      const m = inner(obs);
      return m.length >= q.times ? m : [];
    }
    case 'within': {
      for (const o of obs) {
        const m = inner(obs.filter((x) => x.ts >= o.ts && x.ts <= o.ts + q.seconds * 1000));
        if (m.length > 0) return m;
      }
      return [];
    }
  }
}

/** Timestamps of the observations that satisfy the expression (empty: no match). */
function evaluateExpr(expr: Observation, obs: PatternObservation[]): number[] {
  const [q, ...rest] = expr.qualifiers;
  if (q !== undefined) return applyQualifier(q, expr, obs, rest);
  switch (expr.kind) {
    case 'observation':
      return obs.filter((o) => observationMatches(expr.comparison, o)).map((o) => o.ts);
    case 'or':
      return [...evaluateExpr(expr.left, obs), ...evaluateExpr(expr.right, obs)];
    case 'and': {
      const l = evaluateExpr(expr.left, obs);
      const r = l.length > 0 ? evaluateExpr(expr.right, obs) : [];
      return r.length > 0 ? [...l, ...r] : [];
    }
    case 'followedby': {
      const l = evaluateExpr(expr.left, obs);
      const r = evaluateExpr(expr.right, obs);
      const first = Math.min(...l);
      const later = r.filter((t) => t >= first);
      return l.length > 0 && later.length > 0 ? [first, ...later] : [];
    }
  }
}

/**
 * True when a parsed pattern matches the observations.
 * @example evaluatePattern(parsePattern("[x-thing:v = 1]"), [{ ts: 0, objects: [{ type: 'x-thing', v: 1 }] }])
 */
export function evaluatePattern(pattern: Observation, observations: PatternObservation[]): boolean {
  return evaluateExpr(pattern, observations).length > 0;
}
