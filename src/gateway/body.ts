import { z } from 'zod';
import { openAIError, type Reply } from './openai-error.js';

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
  /** The bytes as the client sent them: forwarded as they are unless a stage changed `json`. */
  raw: Buffer;
  /** Set by a stage that changed `json`, so the upstream gets it serialised again. */
  modified: boolean;
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
 * The schemas above, checked by hand: what they accept, this accepts. The schemas stay the
 * definition and explain a refusal; the hand check keeps them off the per-request path.
 */
function looksValid(j: Record<string, unknown>, endpoint: Endpoint): boolean {
  if (typeof j['model'] !== 'string' || j['model'].length === 0) return false;
  if (j['stream'] !== undefined && typeof j['stream'] !== 'boolean') return false;
  if (endpoint === 'chat') return Array.isArray(j['messages']);
  const input = j['input'];
  return input === undefined || typeof input === 'string' || Array.isArray(input);
}

/**
 * Parses and validates the JSON body of a Chat Completions or Responses request; the
 * answer is the body, or the OpenAI-format 400 to send back.
 * @example
 * const body = parseRequestBody(Buffer.from('{"model":"m","messages":[]}'), 'chat');
 */
export function parseRequestBody(raw: Buffer, endpoint: Endpoint): RequestBody | Reply {
  let json: unknown;
  try {
    // A UTF-8 byte-order mark is skipped, as a Fetch API body reader would.
    const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
    json = JSON.parse(raw.toString('utf8', bom));
  } catch {
    return openAIError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error', 'invalid_json');
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && looksValid(json as Record<string, unknown>, endpoint)) {
    const j = json as Record<string, unknown>;
    return { endpoint, json: j, raw, modified: false, model: j['model'] as string, stream: j['stream'] === true };
  }
  const parsed = (endpoint === 'chat' ? ChatBody : ResponsesBody).safeParse(json);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  const where = issue?.path.join('.') || 'body';
  return openAIError(400, `Invalid request: ${where}: ${issue?.message ?? 'invalid'}`, 'invalid_request_error', 'invalid_request');
}

/** What is sent upstream: the client's own bytes, or the adjusted JSON when a stage changed it. */
export function upstreamPayload(body: RequestBody): Buffer | string {
  return body.modified ? JSON.stringify(body.json) : body.raw;
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
  // Conservative: any cap or drop may have changed the body, so it is serialised again.
  if (cap.maxTokens !== undefined || cap.dropLogprobs) body.modified = true;
}
