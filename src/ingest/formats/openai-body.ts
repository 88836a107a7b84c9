import { z } from 'zod';
import { parsePrecise } from '../validate.js';

/**
 * The parts of OpenAI request and response bodies that stillwatch reads: Chat Completions,
 * the Responses API, legacy Completions, and streamed chunks. Schemas are loose (providers add
 * fields all the time) but every field read is typed, so a wrong type is a precise dead letter.
 */

const Obj = z.record(z.string(), z.unknown());

export const RequestBody = z
  .object({
    model: z.string().optional(),
    messages: z.array(z.unknown()).optional(),
    prompt: z.union([z.string(), z.array(z.string())]).optional(),
    input: z.union([z.string(), z.array(z.unknown())]).optional(),
    instructions: z.string().nullable().optional(),
    tools: z.array(z.unknown()).optional(),
    temperature: z.number().nullable().optional(),
    top_p: z.number().nullable().optional(),
    max_tokens: z.number().nullable().optional(),
    max_completion_tokens: z.number().nullable().optional(),
    max_output_tokens: z.number().nullable().optional(),
    n: z.number().nullable().optional(),
    seed: z.number().nullable().optional(),
    logprobs: z.union([z.boolean(), z.number()]).nullable().optional(),
    top_logprobs: z.number().nullable().optional(),
    reasoning_effort: z.string().nullable().optional(),
    reasoning: z.object({ effort: z.string().nullable().optional() }).loose().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    user: z.string().optional(),
    safety_identifier: z.string().optional(),
  })
  .loose();
export type RequestBody = z.infer<typeof RequestBody>;

const Usage = z
  .object({
    prompt_tokens: z.number().optional(),
    completion_tokens: z.number().optional(),
    input_tokens: z.number().optional(),
    output_tokens: z.number().optional(),
    completion_tokens_details: z
      .object({ reasoning_tokens: z.number().nullable().optional() })
      .loose()
      .nullable()
      .optional(),
    output_tokens_details: z
      .object({ reasoning_tokens: z.number().nullable().optional() })
      .loose()
      .nullable()
      .optional(),
    prompt_tokens_details: z
      .object({ cached_tokens: z.number().nullable().optional() })
      .loose()
      .nullable()
      .optional(),
    input_tokens_details: z
      .object({ cached_tokens: z.number().nullable().optional() })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();

const Choice = z
  .object({
    message: z
      .object({ content: z.unknown().optional(), reasoning_content: z.string().nullable().optional() })
      .loose()
      .nullable()
      .optional(),
    delta: z.object({ content: z.string().nullable().optional() }).loose().nullable().optional(),
    text: z.string().optional(),
    finish_reason: z.string().nullable().optional(),
  })
  .loose();

export const ResponseBody = z
  .object({
    id: z.string().optional(),
    model: z.string().optional(),
    created: z.number().optional(),
    choices: z.array(Choice).optional(),
    output: z.array(Obj).optional(),
    status: z.string().optional(),
    incomplete_details: z.object({ reason: z.string().optional() }).loose().nullable().optional(),
    usage: Usage.nullable().optional(),
    error: z
      .union([
        z
          .object({
            type: z.string().nullable().optional(),
            code: z.union([z.string(), z.number()]).nullable().optional(),
          })
          .loose(),
        z.string(),
      ])
      .nullable()
      .optional(),
  })
  .loose();
export type ResponseBody = z.infer<typeof ResponseBody>;

/** Streamed bodies: chat chunks, or Responses API events (`{type, response}`). */
export const StreamBody = z.array(Obj);

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Responses API content (`input_text`/`output_text` parts) to the domain's `{type:'text', text}` parts. */
function responsesContent(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  return (content as unknown[]).map((p) =>
    isObj(p) && (p['type'] === 'input_text' || p['type'] === 'output_text') ? { ...p, type: 'text' } : p,
  );
}

/** A Responses API input item as a message; items without a role keep their type as the role. */
function inputItem(item: unknown): unknown {
  if (!isObj(item)) return item;
  if (typeof item['role'] === 'string') return { ...item, content: responsesContent(item['content']) };
  if (item['type'] === 'function_call_output')
    return {
      role: 'tool',
      content: typeof item['output'] === 'string' ? item['output'] : JSON.stringify(item['output'] ?? null),
      tool_call_id: item['call_id'],
    };
  if (item['type'] === 'function_call') return { role: 'assistant', content: null, tool_calls: [item] };
  return { ...item, role: typeof item['type'] === 'string' ? item['type'] : 'item', content: null };
}

/** The prompt of a request: chat `messages`, Responses `instructions` + `input`, or a Completions `prompt`. */
export function promptOf(req: RequestBody): { messages?: unknown[]; prompt?: string } {
  if (req.messages) return { messages: req.messages };
  if (req.input !== undefined) {
    const msgs: unknown[] = [];
    if (typeof req.instructions === 'string') msgs.push({ role: 'system', content: req.instructions });
    if (typeof req.input === 'string') msgs.push({ role: 'user', content: req.input });
    else msgs.push(...req.input.map(inputItem));
    return { messages: msgs };
  }
  if (req.prompt !== undefined)
    return { prompt: Array.isArray(req.prompt) ? req.prompt.join('\n') : req.prompt };
  return {};
}

export function paramsOf(req: RequestBody): Record<string, unknown> | undefined {
  const p: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined && v !== null) p[k] = v;
  };
  set('temperature', req.temperature);
  set('top_p', req.top_p);
  set('max_tokens', req.max_tokens ?? req.max_completion_tokens ?? req.max_output_tokens);
  set('n', req.n);
  set('seed', req.seed);
  // Legacy Completions sends `logprobs: 5` (a count); Chat sends `logprobs: true` + `top_logprobs`.
  if (typeof req.logprobs === 'number') {
    set('logprobs', true);
    set('top_logprobs', req.logprobs);
  } else set('logprobs', req.logprobs);
  set('top_logprobs', req.top_logprobs);
  set('reasoning_effort', req.reasoning_effort ?? req.reasoning?.effort);
  set('stream', req.stream);
  return Object.keys(p).length ? p : undefined;
}

function textOfContent(c: unknown): string {
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c.map((p) => (isObj(p) && typeof p['text'] === 'string' ? p['text'] : '')).join('');
}

export interface ResponseInfo {
  output?: string;
  finish_reason?: string;
  usage?: Record<string, number>;
  model?: string;
  id?: string;
  created?: number;
  error_type?: string;
}

export function usageOf(u: z.infer<typeof Usage> | null | undefined): Record<string, number> | undefined {
  if (!u) return undefined;
  const out: Record<string, number> = {};
  const set = (k: string, v: number | null | undefined): void => {
    if (v !== undefined && v !== null) out[k] = v;
  };
  set('input_tokens', u.input_tokens ?? u.prompt_tokens);
  set('output_tokens', u.output_tokens ?? u.completion_tokens);
  set(
    'reasoning_tokens',
    u.output_tokens_details?.reasoning_tokens ?? u.completion_tokens_details?.reasoning_tokens,
  );
  set('cached_tokens', u.input_tokens_details?.cached_tokens ?? u.prompt_tokens_details?.cached_tokens);
  return Object.keys(out).length ? out : undefined;
}

/** A complete (non-streamed) body: Chat / Completions `choices`, or Responses `output`. */
export function responseInfo(r: ResponseBody): ResponseInfo {
  const info: ResponseInfo = {};
  if (r.id !== undefined) info.id = r.id;
  if (r.model !== undefined) info.model = r.model;
  if (r.created !== undefined) info.created = r.created;
  const usage = usageOf(r.usage);
  if (usage) info.usage = usage;
  if (r.error)
    info.error_type = typeof r.error === 'string' ? r.error : String(r.error.type ?? r.error.code ?? 'error');
  if (r.choices?.length) {
    info.output = r.choices.map((c) => textOfContent(c.message?.content) || c.text || '').join('\n');
    const fr = r.choices[0]?.finish_reason;
    if (fr) info.finish_reason = fr;
  } else if (r.output) {
    info.output = r.output
      .filter((item) => item['type'] === 'message')
      .map((item) => textOfContent(item['content']))
      .join('\n');
    if (r.status === 'completed') info.finish_reason = 'stop';
    else if (r.status === 'incomplete')
      info.finish_reason =
        r.incomplete_details?.reason === 'max_output_tokens'
          ? 'length'
          : (r.incomplete_details?.reason ?? 'incomplete');
  }
  return info;
}

/**
 * A streamed body: chat chunks (text from each `delta`, usage from the final usage chunk) or
 * Responses events (the `response.completed` event carries the whole response).
 */
export function streamInfo(chunks: Record<string, unknown>[]): {
  info?: ResponseInfo;
  bad?: { index: number; error: z.ZodError };
} {
  const done = chunks.find((c) => c['type'] === 'response.completed' || c['type'] === 'response.incomplete');
  if (done && isObj(done['response'])) {
    const r = parsePrecise(ResponseBody, done['response']);
    return r.success
      ? { info: responseInfo(r.data) }
      : { bad: { index: chunks.indexOf(done), error: r.error } };
  }
  const info: ResponseInfo = {};
  let text = '';
  for (let i = 0; i < chunks.length; i++) {
    const r = parsePrecise(ResponseBody, chunks[i]);
    if (!r.success) return { bad: { index: i, error: r.error } };
    const c = r.data;
    if (c.id !== undefined) info.id ??= c.id;
    if (c.model !== undefined) info.model ??= c.model;
    if (c.created !== undefined) info.created ??= c.created;
    const first = c.choices?.[0];
    text += first?.delta?.content ?? first?.text ?? '';
    if (first?.finish_reason) info.finish_reason = first.finish_reason;
    const u = usageOf(c.usage);
    if (u) info.usage = u;
  }
  info.output = text;
  return { info };
}
