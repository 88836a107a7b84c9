import type { AccountResult } from '../domain/index.js';
import type { Campaign } from '../domain/index.js';
import type { Comparison, Condition } from './schema.js';

/** What a condition can see: an account result, its campaign, or both. */
export interface FieldContext {
  account?: AccountResult | undefined;
  campaign?: Campaign | null | undefined;
}

type Value = number | string | boolean | null | undefined;

function detectorScore(result: AccountResult, detector: string): number | undefined {
  let best: number | undefined;
  for (const f of result.reasons) if (f.detector === detector && (best === undefined || f.score > best)) best = f.score;
  return best;
}

function accountSignal(result: AccountResult, name: string): number | undefined {
  let best: number | undefined;
  for (const f of result.reasons) {
    const v = f.signals[name]?.value;
    if (v !== undefined && (best === undefined || v > best)) best = v;
  }
  return best;
}

/** Resolves a dotted field path (validated by the schema) against the subject. */
export function resolveField(field: string, ctx: FieldContext): Value {
  const [scope, name, ...rest] = field.split('.');
  const tail = rest.join('.');
  if (scope === 'account') {
    const a = ctx.account;
    if (!a) return undefined;
    switch (name) {
      case 'score': return a.score;
      case 'flagged': return a.flagged;
      case 'exchanges': return a.exchanges;
      case 'exchanges_before_flag': return a.exchanges_before_flag;
      case 'campaign': return a.campaign;
      case 'id': return a.account;
      case 'end_user': return a.end_user ?? null;
      case 'detector': return detectorScore(a, tail);
      case 'signal': return accountSignal(a, tail);
      case undefined:
      default: return undefined;
    }
  }
  const c = ctx.campaign;
  if (!c) return undefined;
  switch (name) {
    case 'score': return c.score;
    case 'size': return c.size;
    case 'exchanges': return c.exchanges;
    case 'id': return c.id;
    case 'signal': return c.signals[tail];
    case undefined:
    default: return undefined;
  }
}

function compare(c: Comparison, v: Value): boolean {
  const present = v !== undefined && v !== null;
  if (c.exists !== undefined && c.exists !== present) return false;
  const num = typeof v === 'number' ? v : undefined;
  if (c.gte !== undefined && !(num !== undefined && num >= c.gte)) return false;
  if (c.gt !== undefined && !(num !== undefined && num > c.gt)) return false;
  if (c.lte !== undefined && !(num !== undefined && num <= c.lte)) return false;
  if (c.lt !== undefined && !(num !== undefined && num < c.lt)) return false;
  if (c.eq !== undefined && (v ?? null) !== c.eq) return false;
  if (c.ne !== undefined && (v ?? null) === c.ne) return false;
  if (c.in !== undefined && !c.in.includes(v ?? null)) return false;
  return true;
}

function formatValue(v: Value): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (v === undefined) return 'absent';
  return JSON.stringify(v);
}

function describe(c: Comparison, v: Value): string {
  const ops: string[] = [];
  if (c.gte !== undefined) ops.push(`≥ ${c.gte}`);
  if (c.gt !== undefined) ops.push(`> ${c.gt}`);
  if (c.lte !== undefined) ops.push(`≤ ${c.lte}`);
  if (c.lt !== undefined) ops.push(`< ${c.lt}`);
  if (c.eq !== undefined) ops.push(`= ${JSON.stringify(c.eq)}`);
  if (c.ne !== undefined) ops.push(`≠ ${JSON.stringify(c.ne)}`);
  if (c.in !== undefined) ops.push(`in ${JSON.stringify(c.in)}`);
  if (c.exists !== undefined) ops.push(c.exists ? 'present' : 'absent');
  return `${c.field} = ${formatValue(v)} (${ops.join(', ')})`;
}

/**
 * Evaluates a condition. On a match, `why` holds one line per comparison that made it true,
 * so each decision can say exactly which values triggered it.
 */
export function evaluateCondition(cond: Condition, ctx: FieldContext, why: string[] = []): boolean {
  if ('all' in cond) {
    const mark = why.length;
    for (const c of cond.all) {
      if (!evaluateCondition(c, ctx, why)) {
        why.length = mark;
        return false;
      }
    }
    return true;
  }
  if ('any' in cond) {
    for (const c of cond.any) if (evaluateCondition(c, ctx, why)) return true;
    return false;
  }
  if ('not' in cond) {
    if (evaluateCondition(cond.not, ctx, [])) return false;
    why.push(`not ${JSON.stringify(cond.not)}`);
    return true;
  }
  const v = resolveField(cond.field, ctx);
  if (!compare(cond, v)) return false;
  why.push(describe(cond, v));
  return true;
}

/** Replaces {field.path} placeholders in a reason template with the subject's values. */
export function renderTemplate(template: string, ctx: FieldContext): string {
  return template.replace(/\{([a-z_]+(?:\.[A-Za-z0-9_:-]+)+)\}/g, (_m, field: string) => formatValue(resolveField(field, ctx)));
}
