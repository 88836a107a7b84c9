import { describe } from '../validate.js';
import { AttrBag, FieldProblem, type Plain } from './otlp-attrs.js';

/** A message in the TrafficEvent shape: plain text content when every part is text, else the parts. */
export interface OutMessage {
  role: string;
  content: string | Record<string, unknown>[] | null;
  name?: string;
  tool_call_id?: string;
}

function problem(field: string, expected: string, found: unknown): FieldProblem {
  return new FieldProblem({
    reason: `attribute "${field}": expected ${expected}, found ${describe(found)}`,
    field,
    expected,
    found: describe(found),
  });
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Converts one part of the GenAI "parts" message schema. `text` parts carry their words in
 * `content`; the domain's ContentPart keeps user-visible words in `text`. Other parts
 * (tool_call, tool_call_response, blob, uri, reasoning, …) are kept as they are.
 */
function convertPart(p: unknown, field: string): Record<string, unknown> {
  if (!isObj(p) || typeof p['type'] !== 'string')
    throw problem(field, 'a part object with a string "type"', p);
  if (p['type'] !== 'text') return { ...p };
  const text = p['content'] ?? p['text'];
  if (typeof text !== 'string') throw problem(`${field}.content`, 'string', text);
  return { type: 'text', text };
}

function contentFromParts(parts: Record<string, unknown>[]): OutMessage['content'] {
  if (parts.every((p) => p['type'] === 'text')) return parts.map((p) => p['text'] as string).join('\n');
  return parts;
}

/** One message in parts style (`{role, parts}`), tolerating the OpenAI style (`{role, content}`). */
function convertMessage(m: unknown, field: string): OutMessage {
  if (!isObj(m)) throw problem(field, 'a message object', m);
  const role = m['role'];
  if (typeof role !== 'string' || role === '') throw problem(`${field}.role`, 'non-empty string', role);
  const out: OutMessage = { role, content: null };
  if (typeof m['name'] === 'string') out.name = m['name'];
  if ('parts' in m) {
    const parts = m['parts'];
    if (!Array.isArray(parts)) throw problem(`${field}.parts`, 'array', parts);
    out.content = contentFromParts(parts.map((p, i) => convertPart(p, `${field}.parts[${i}]`)));
    return out;
  }
  const content = m['content'];
  if (typeof content === 'string' || content === null || content === undefined) out.content = content ?? null;
  else if (Array.isArray(content))
    out.content = contentFromParts(content.map((p, i) => convertPart(p, `${field}.content[${i}]`)));
  else throw problem(`${field}.content`, 'string, array of parts or null', content);
  return out;
}

export function convertMessages(v: Plain, field: string): OutMessage[] {
  if (!Array.isArray(v)) throw problem(field, 'an array of messages', v);
  return v.map((m, i) => convertMessage(m, `${field}[${i}]`));
}

/** `gen_ai.system_instructions`: an array of parts, or plain text. */
function systemInstructions(attrs: AttrBag): OutMessage | undefined {
  const d = attrs.get('gen_ai.system_instructions');
  if (d === undefined) return undefined;
  if (typeof d.value === 'string') {
    // JSON text of the parts array, or (some exporters) the instructions themselves.
    const v = safeJson(d.value);
    if (!Array.isArray(v)) return { role: 'system', content: d.value };
    return {
      role: 'system',
      content: contentFromParts(v.map((p, i) => convertPart(p, `gen_ai.system_instructions[${i}]`))),
    };
  }
  if (!Array.isArray(d.value)) throw problem('gen_ai.system_instructions', 'an array of parts', d.value);
  return {
    role: 'system',
    content: contentFromParts(d.value.map((p, i) => convertPart(p, `gen_ai.system_instructions[${i}]`))),
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export interface SpanEventIn {
  name?: string | undefined;
  attrs: AttrBag;
}

const ROLE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** The `content` of a deprecated per-message event: its own attribute, or inside `gen_ai.event.content` JSON. */
function eventBody(e: SpanEventIn): Record<string, unknown> {
  const packed = e.attrs.get('gen_ai.event.content');
  if (packed !== undefined) {
    const v = typeof packed.value === 'string' ? safeJson(packed.value) : packed.value;
    if (!isObj(v)) throw problem('gen_ai.event.content', 'a JSON object', packed.value);
    return v;
  }
  const out: Record<string, unknown> = {};
  for (const k of ['content', 'role', 'message', 'finish_reason', 'tool_calls', 'id']) {
    const d = e.attrs.get(k);
    if (d !== undefined) out[k] = d.value;
  }
  return out;
}

/**
 * The input messages of an exchange, by precedence: `gen_ai.input.messages` (with
 * `gen_ai.system_instructions` first); the deprecated per-message span events; the older
 * `gen_ai.content.prompt` event; the flat `gen_ai.prompt.N.*` attributes. Undefined when the
 * telemetry captured no content (capturing content is opt-in in OpenTelemetry).
 */
export function inputMessages(attrs: AttrBag, events: readonly SpanEventIn[]): OutMessage[] | undefined {
  const sys = systemInstructions(attrs);
  const input = attrs.json('gen_ai.input.messages');
  if (input !== undefined) {
    const msgs = convertMessages(input, 'gen_ai.input.messages');
    return sys ? [sys, ...msgs] : msgs;
  }
  const fromEvents: OutMessage[] = [];
  events.forEach((e, i) => {
    const role = e.name !== undefined ? ROLE_EVENTS[e.name] : undefined;
    if (role === undefined) return;
    const body = eventBody(e);
    fromEvents.push(
      convertMessage(
        { role, ...body, ...(typeof body['role'] === 'string' ? { role: body['role'] } : {}) },
        `events[${i}]`,
      ),
    );
  });
  if (fromEvents.length) return sys ? [sys, ...fromEvents] : fromEvents;
  const legacy = events.find((e) => e.name === 'gen_ai.content.prompt');
  const prompt = legacy?.attrs.str('gen_ai.prompt') ?? attrs.str('gen_ai.prompt');
  if (prompt !== undefined) {
    const v = safeJson(prompt);
    return Array.isArray(v)
      ? convertMessages(v as Plain, 'gen_ai.prompt')
      : [{ role: 'user', content: prompt }];
  }
  const flat = flatMessages(attrs, 'gen_ai.prompt');
  if (flat.length) return flat;
  return sys ? [sys] : undefined;
}

/** OpenLLMetry-style flattened messages: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, … */
function flatMessages(attrs: AttrBag, prefix: string): OutMessage[] {
  const out: OutMessage[] = [];
  for (let i = 0; i < 10_000; i++) {
    const role = attrs.str(`${prefix}.${i}.role`);
    const content = attrs.str(`${prefix}.${i}.content`);
    if (role === undefined && content === undefined) break;
    out.push({ role: role ?? (prefix === 'gen_ai.prompt' ? 'user' : 'assistant'), content: content ?? null });
  }
  return out;
}

export interface OutputInfo {
  output?: string;
  finish_reason?: string;
}

function textOf(content: OutMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((p) => (typeof p['text'] === 'string' ? p['text'] : ''))
    .filter(Boolean)
    .join('\n');
}

/** The completion text and finish reason, by the same precedence as the input. */
export function outputInfo(attrs: AttrBag, events: readonly SpanEventIn[]): OutputInfo {
  const reasons = attrs.strList('gen_ai.response.finish_reasons');
  const info: OutputInfo = {};
  if (reasons?.[0] !== undefined) info.finish_reason = reasons[0];
  const out = attrs.json('gen_ai.output.messages');
  if (out !== undefined) {
    if (!Array.isArray(out)) throw problem('gen_ai.output.messages', 'an array of messages', out);
    const msgs = out.map((m, i) => convertMessage(m, `gen_ai.output.messages[${i}]`));
    info.output = msgs.map((m) => textOf(m.content)).join('\n');
    const fr = isObj(out[0]) ? out[0]['finish_reason'] : undefined;
    if (info.finish_reason === undefined && typeof fr === 'string') info.finish_reason = fr;
    return info;
  }
  const choices = events.filter((e) => e.name === 'gen_ai.choice').map(eventBody);
  if (choices.length) {
    info.output = choices
      .map((c) =>
        isObj(c['message'])
          ? textOf(convertMessage({ role: 'assistant', ...c['message'] }, 'gen_ai.choice.message').content)
          : '',
      )
      .join('\n');
    const fr = choices[0]?.['finish_reason'];
    if (info.finish_reason === undefined && typeof fr === 'string') info.finish_reason = fr;
    return info;
  }
  const legacy = events.find((e) => e.name === 'gen_ai.content.completion');
  const completion = legacy?.attrs.str('gen_ai.completion') ?? attrs.str('gen_ai.completion');
  if (completion !== undefined) {
    const v = safeJson(completion);
    info.output = Array.isArray(v)
      ? convertMessages(v as Plain, 'gen_ai.completion')
          .map((m) => textOf(m.content))
          .join('\n')
      : completion;
    return info;
  }
  const flat = flatMessages(attrs, 'gen_ai.completion');
  if (flat.length) {
    info.output = flat.map((m) => textOf(m.content)).join('\n');
    const fr = attrs.str('gen_ai.completion.0.finish_reason');
    if (info.finish_reason === undefined && fr !== undefined) info.finish_reason = fr;
  }
  return info;
}
