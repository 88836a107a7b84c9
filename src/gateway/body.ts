import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from './context.js';
import { readRequestText } from './node-io.js';
import { openAIError } from './openai-error.js';

export type Endpoint = 'chat' | 'responses';

/**
 * The fields the gateway reads; everything else passes through untouched. Messages are only
 * checked to be an array: walking and copying every message with a schema cost ~90 µs per
 * request in the bench, and the upstream validates them anyway (ingest re-validates records).
 */
const list = z.custom<unknown[]>((v) => Array.isArray(v), { message: 'expected an array' });

const ChatBody = z.looseObject({
  model: z.string().min(1),
  messages: list,
  stream: z.boolean().optional(),
});

const ResponsesBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), list]).optional(),
  stream: z.boolean().optional(),
});

export interface RequestBody {
  endpoint: Endpoint;
  /** The parsed JSON, which later stages may adjust before it is sent upstream. */
  json: Record<string, unknown>;
  model: string;
  stream: boolean;
}

/** Which proxied path is an exchange the gateway understands (and records). */
export function endpointOf(path: string): Endpoint | null {
  if (path === '/v1/chat/completions' || path === '/chat/completions') return 'chat';
  if (path === '/v1/responses' || path === '/responses') return 'responses';
  return null;
}

/**
 * Reads and validates the JSON body of Chat Completions and Responses requests. Other
 * paths are left as raw streams for the proxy.
 * @example
 * app.use('*', readBody());
 */
export function readBody(options: { maxBytes?: number } = {}): MiddlewareHandler<GatewayEnv> {
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  return async function readRequestBody(c, next) {
    const endpoint = c.req.method === 'POST' ? endpointOf(c.req.path) : null;
    if (endpoint === null) {
      c.set('body', null);
      await next();
      return;
    }
    const text = await readRequestText(c, maxBytes);
    if (text === null) return openAIError(413, `Request body over ${maxBytes} bytes.`, 'invalid_request_error', 'request_too_large');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return openAIError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error', 'invalid_json');
    }
    const parsed = (endpoint === 'chat' ? ChatBody : ResponsesBody).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'body';
      return openAIError(400, `Invalid request: ${where}: ${issue?.message ?? 'invalid'}`, 'invalid_request_error', 'invalid_request');
    }
    const json = parsed.data as Record<string, unknown>;
    c.set('body', { endpoint, json, model: parsed.data.model, stream: parsed.data.stream === true });
    await next();
  };
}

/**
 * Request-side degradation: caps the output length and removes logprob requests, so the
 * upstream does less work and the caller gets less signal.
 */
export function shapeRequest(body: RequestBody, cap: { maxTokens: number | undefined; dropLogprobs: boolean }): void {
  const j = body.json;
  if (cap.maxTokens !== undefined) {
    const fields = body.endpoint === 'chat' ? ['max_completion_tokens', 'max_tokens'] : ['max_output_tokens'];
    let capped = false;
    for (const f of fields) {
      const v = j[f];
      if (typeof v === 'number') {
        j[f] = Math.min(v, cap.maxTokens);
        capped = true;
      }
    }
    if (!capped) j[fields[0] ?? 'max_tokens'] = cap.maxTokens;
  }
  if (cap.dropLogprobs) {
    if (body.endpoint === 'chat') {
      if (j['logprobs'] !== undefined) j['logprobs'] = false;
      delete j['top_logprobs'];
    } else {
      delete j['top_logprobs'];
      const include = j['include'];
      if (Array.isArray(include)) j['include'] = include.filter((x) => typeof x !== 'string' || !x.includes('logprobs'));
    }
  }
}
