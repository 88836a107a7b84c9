import { z } from 'zod';
import { hash52 } from '../dedup.js';
import type { Candidate, Conversion, ConvertProblem, SourceFormat } from '../types.js';
import { describe, problemFrom, parsePrecise } from '../validate.js';
import { AttrBag, FieldProblem } from './otlp-attrs.js';
import { inputMessages, outputInfo, type SpanEventIn } from './otlp-messages.js';
import { exchangeFields } from './otlp-map.js';

/**
 * OpenTelemetry GenAI telemetry as OTLP/JSON: ExportTraceServiceRequest (`resourceSpans`) and
 * ExportLogsServiceRequest (`resourceLogs`), one per line (collector file exporter) or as one
 * document. Each GenAI inference span or inference log record becomes one TrafficEvent
 * candidate; other spans and log records are counted as skipped (see docs/INPUT-FORMATS.md).
 */

const NanoTime = z.union([
  z.string().regex(/^\d{1,20}$/, 'a decimal string of nanoseconds'),
  z.number().int().nonnegative(),
]);

const SpanEvent = z
  .object({
    name: z.string().optional(),
    timeUnixNano: NanoTime.optional(),
    attributes: z.unknown().optional(),
  })
  .loose();

const Span = z
  .object({
    traceId: z.string(),
    spanId: z.string(),
    name: z.string().optional(),
    kind: z.union([z.number().int(), z.string()]).optional(),
    startTimeUnixNano: NanoTime,
    endTimeUnixNano: NanoTime.optional(),
    attributes: z.unknown().optional(),
    events: z.array(SpanEvent).optional(),
    status: z
      .object({ code: z.union([z.number().int(), z.string()]).optional(), message: z.string().optional() })
      .loose()
      .optional(),
  })
  .loose();

const LogRecord = z
  .object({
    timeUnixNano: NanoTime.optional(),
    observedTimeUnixNano: NanoTime.optional(),
    eventName: z.string().optional(),
    traceId: z.string().optional(),
    spanId: z.string().optional(),
    attributes: z.unknown().optional(),
    body: z.unknown().optional(),
  })
  .loose();

const Holder = z
  .object({ resource: z.object({ attributes: z.unknown().optional() }).loose().optional() })
  .loose();
const ScopeHolder = z
  .object({ scope: z.object({ attributes: z.unknown().optional() }).loose().optional() })
  .loose();

/** Operations that are one call to a model. Tool executions and agent invocations wrap or follow such calls. */
const EXCHANGE_OPS = new Set(['chat', 'text_completion', 'generate_content', 'completion', 'responses']);

/** Per-message log events of the deprecated event conventions: parts of an exchange, not one. */
const MESSAGE_EVENTS = new Set([
  'gen_ai.system.message',
  'gen_ai.user.message',
  'gen_ai.assistant.message',
  'gen_ai.tool.message',
  'gen_ai.choice',
]);

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export const otlpFormat: SourceFormat = {
  name: 'otlp',
  sniff: (v) => isObj(v) && (Array.isArray(v['resourceSpans']) || Array.isArray(v['resourceLogs'])),
  convert: (value) => {
    const acc: Conversion & { skipped: number } = { candidates: [], problems: [], skipped: 0 };
    if (!isObj(value)) {
      acc.problems.push({
        reason: `expected an OTLP export object, found ${describe(value)}`,
        expected: 'object',
        found: describe(value),
      });
      return acc;
    }
    const spans = value['resourceSpans'];
    const logs = value['resourceLogs'];
    if (spans === undefined && logs === undefined) {
      acc.problems.push({
        reason: 'expected "resourceSpans" or "resourceLogs" (an OTLP/JSON export request), found neither',
        field: 'resourceSpans',
        expected: 'array',
        found: 'nothing (missing)',
      });
    }
    if (spans !== undefined) walk(spans, 'resourceSpans', 'scopeSpans', 'spans', convertSpan, acc);
    if (logs !== undefined) walk(logs, 'resourceLogs', 'scopeLogs', 'logRecords', convertLog, acc);
    return acc;
  },
};

type ItemConverter = (item: unknown, layers: Map<string, unknown>[], path: string) => Candidate | 'skip';

/** Walks resource → scope → items; a malformed level is one problem and its siblings go on. */
function walk(
  top: unknown,
  topKey: string,
  scopeKey: string,
  itemKey: string,
  convert: ItemConverter,
  acc: Conversion & { skipped: number },
): void {
  if (!Array.isArray(top)) return void acc.problems.push(arrayProblem(topKey, top, topKey));
  top.forEach((res, ri) => {
    const rPath = `${topKey}[${ri}]`;
    guard(acc, rPath, res, () => {
      const r = parsePrecise(Holder, res);
      if (!r.success) throw new FieldProblem(prefixed(problemFrom(r.error), rPath));
      const resLayer = AttrBag.layer(r.data.resource?.attributes, `${rPath}.resource.attributes`);
      const scopes = (res as Record<string, unknown>)[scopeKey] ?? [];
      if (!Array.isArray(scopes))
        throw new FieldProblem(arrayProblem(`${rPath}.${scopeKey}`, scopes, scopeKey));
      scopes.forEach((sc, si) => {
        const sPath = `${rPath}.${scopeKey}[${si}]`;
        guard(acc, sPath, sc, () => {
          const s = parsePrecise(ScopeHolder, sc);
          if (!s.success) throw new FieldProblem(prefixed(problemFrom(s.error), sPath));
          const scopeLayer = AttrBag.layer(s.data.scope?.attributes, `${sPath}.scope.attributes`);
          const items = (sc as Record<string, unknown>)[itemKey] ?? [];
          if (!Array.isArray(items))
            throw new FieldProblem(arrayProblem(`${sPath}.${itemKey}`, items, itemKey));
          items.forEach((item, ii) => {
            const iPath = `${sPath}.${itemKey}[${ii}]`;
            guard(acc, iPath, item, () => {
              const c = convert(item, [scopeLayer, resLayer], iPath);
              if (c === 'skip') acc.skipped++;
              else acc.candidates.push(c);
            });
          });
        });
      });
    });
  });
}

function guard(acc: Conversion, path: string, raw: unknown, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof FieldProblem)) throw e;
    acc.problems.push({ ...e.problem, path, raw: rawOf(raw) });
  }
}

function rawOf(v: unknown): string {
  const s = JSON.stringify(v) ?? '';
  return s.length > 1024 ? s.slice(0, 1024) : s;
}

function arrayProblem(field: string, found: unknown, name: string): ConvertProblem {
  return {
    reason: `field "${name}": expected array, found ${describe(found)}`,
    field,
    expected: 'array',
    found: describe(found),
  };
}

function prefixed(p: ConvertProblem, path: string): ConvertProblem {
  return p.field ? { ...p, field: `${path}.${p.field}` } : p;
}

function convertSpan(item: unknown, outer: Map<string, unknown>[], path: string): Candidate | 'skip' {
  if (!isObj(item))
    throw new FieldProblem({
      reason: `expected a span object, found ${describe(item)}`,
      expected: 'object',
      found: describe(item),
    });
  const attrs = new AttrBag([AttrBag.layer(item['attributes'], 'attributes'), ...outer]);
  if (!attrs.hasPrefix('gen_ai.')) return 'skip';
  const op = attrs.str('gen_ai.operation.name');
  if (op !== undefined && !EXCHANGE_OPS.has(op)) return 'skip';
  const r = parsePrecise(Span, item);
  if (!r.success) throw new FieldProblem(problemFrom(r.error));
  const s = r.data;
  const events: SpanEventIn[] = (s.events ?? []).map((e, i) => ({
    name: e.name,
    attrs: new AttrBag([AttrBag.layer(e.attributes, `events[${i}].attributes`)]),
  }));
  const start = nanosToMs(s.startTimeUnixNano, 'startTimeUnixNano');
  const end = s.endTimeUnixNano === undefined ? undefined : nanosToMs(s.endTimeUnixNano, 'endTimeUnixNano');
  const value: Record<string, unknown> = {
    id: `${hexId(s.traceId, 16, 'traceId')}:${hexId(s.spanId, 8, 'spanId')}`,
    ts: Math.floor(start),
    ...exchangeFields(attrs, { spanKind: s.kind, statusCode: s.status?.code }),
  };
  if (end !== undefined && end > 0) {
    if (end < start)
      throw new FieldProblem({
        reason: `field "endTimeUnixNano": expected a time at or after startTimeUnixNano, found ${String(s.endTimeUnixNano)}`,
        field: 'endTimeUnixNano',
        expected: '>= startTimeUnixNano',
        found: String(s.endTimeUnixNano),
      });
    value['latency_ms'] = Math.round((end - start) * 1000) / 1000;
  }
  addContent(value, attrs, events);
  return { path, value, raw: () => rawOf(item) };
}

function convertLog(item: unknown, outer: Map<string, unknown>[], path: string): Candidate | 'skip' {
  if (!isObj(item))
    throw new FieldProblem({
      reason: `expected a log record object, found ${describe(item)}`,
      expected: 'object',
      found: describe(item),
    });
  const attrs = new AttrBag([AttrBag.layer(item['attributes'], 'attributes'), ...outer]);
  const r = parsePrecise(LogRecord, item);
  if (!r.success) throw new FieldProblem(problemFrom(r.error));
  const l = r.data;
  const eventName = l.eventName ?? attrs.str('event.name');
  const genai = attrs.hasPrefix('gen_ai.') || (eventName?.startsWith('gen_ai.') ?? false);
  if (!genai || (eventName !== undefined && MESSAGE_EVENTS.has(eventName))) return 'skip';
  const op = attrs.str('gen_ai.operation.name');
  if (op !== undefined && !EXCHANGE_OPS.has(op)) return 'skip';
  const time =
    l.timeUnixNano !== undefined && String(l.timeUnixNano) !== '0' ? l.timeUnixNano : l.observedTimeUnixNano;
  if (time === undefined)
    throw new FieldProblem({
      reason:
        'field "timeUnixNano": expected nanoseconds since the epoch, found nothing (missing), and no observedTimeUnixNano',
      field: 'timeUnixNano',
      expected: 'nanoseconds',
      found: 'nothing (missing)',
    });
  const ctx =
    l.traceId && l.spanId && !/^0*$/.test(l.traceId)
      ? `${hexId(l.traceId, 16, 'traceId')}:${hexId(l.spanId, 8, 'spanId')}`
      : undefined;
  // The span's own id when the record carries its context (so a span and its details log count
  // once); otherwise a hash of the record itself, stable across replays of the same file.
  const value: Record<string, unknown> = {
    id: ctx ?? `log:${hash52(JSON.stringify(item)).toString(16)}`,
    ts: Math.floor(nanosToMs(time, 'timeUnixNano')),
    ...exchangeFields(attrs, {}),
  };
  addContent(value, attrs, []);
  return { path, value, raw: () => rawOf(item) };
}

function addContent(value: Record<string, unknown>, attrs: AttrBag, events: SpanEventIn[]): void {
  // Content capture is opt-in in OpenTelemetry: an exchange without it still counts for volume,
  // timing and usage signals, so it gets an empty message list rather than a dead letter.
  value['messages'] = inputMessages(attrs, events) ?? [];
  const out = outputInfo(attrs, events);
  if (out.output !== undefined) value['output'] = out.output;
  if (out.finish_reason !== undefined) value['finish_reason'] = out.finish_reason;
}

function nanosToMs(v: string | number, field: string): number {
  const ms = typeof v === 'number' ? v / 1e6 : Number(BigInt(v) / 1000n) / 1000;
  if (!Number.isFinite(ms) || ms <= 0)
    throw new FieldProblem({
      reason: `field "${field}": expected nanoseconds since the epoch, found ${describe(v)}`,
      field,
      expected: 'nanoseconds > 0',
      found: describe(v),
    });
  return ms;
}

/** OTLP/JSON ids are lowercase hex; some exporters send the protobuf bytes as base64 instead. */
function hexId(s: string, bytes: number, field: string): string {
  if (s.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(s) && !/^0+$/.test(s)) return s.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    const b = Buffer.from(s, 'base64');
    if (b.length === bytes && b.some((x) => x !== 0)) return b.toString('hex');
  }
  throw new FieldProblem({
    reason: `field "${field}": expected ${bytes * 2} hex digits (not all zero), found ${describe(s)}`,
    field,
    expected: `${bytes * 2} hex digits`,
    found: describe(s),
  });
}
