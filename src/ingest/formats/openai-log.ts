import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Conversion, ConvertProblem, SourceFormat } from '../types.js';
import { describe, problemFrom, parsePrecise } from '../validate.js';
import {
  paramsOf,
  promptOf,
  RequestBody,
  responseInfo,
  ResponseBody,
  StreamBody,
  streamInfo,
  type ResponseInfo,
} from './openai-body.js';

/**
 * OpenAI-style request logs: one JSON object per line holding the request body, the response
 * body (or, for streams, its chunks / final usage chunk) and gateway metadata. Two shapes:
 *  - the stillwatch envelope `{timestamp, request_id, account, org, project, api_key_id, ip,
 *    user_agent, method, path, status, latency_ms, headers, request, response}` (Helicone-style
 *    `request_body` / `response_body` are accepted for `request` / `response`);
 *  - LiteLLM spend-log rows `{request_id, call_type, api_key, startTime, endTime, model, user,
 *    end_user, team_id, metadata, requester_ip_address, messages, response, prompt_tokens, …}`.
 * Field precedence is documented in docs/INPUT-FORMATS.md.
 */

const Str = z.string();
const Time = z.union([z.string(), z.number().nonnegative()]);
const Headers = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const Envelope = z
  .object({
    timestamp: Time.optional(),
    time: Time.optional(),
    ts: Time.optional(),
    created_at: Time.optional(),
    startTime: Time.optional(),
    endTime: Time.optional(),
    request_id: Str.optional(),
    id: Str.optional(),
    account: Str.optional(),
    account_id: Str.optional(),
    org: Str.optional(),
    organization: Str.optional(),
    org_id: Str.optional(),
    team_id: Str.nullable().optional(),
    project: Str.optional(),
    project_id: Str.optional(),
    api_key_id: Str.optional(),
    key_id: Str.optional(),
    api_key: Str.optional(),
    user: Str.nullable().optional(),
    end_user: Str.nullable().optional(),
    ip: Str.optional(),
    client_ip: Str.optional(),
    requester_ip_address: Str.nullable().optional(),
    user_agent: Str.optional(),
    method: Str.optional(),
    path: Str.optional(),
    endpoint: Str.optional(),
    status: z.union([z.number().int(), Str]).optional(),
    status_code: z.number().int().optional(),
    latency_ms: z.number().nonnegative().optional(),
    duration_ms: z.number().nonnegative().optional(),
    headers: Headers.optional(),
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    model: Str.optional(),
    messages: z.unknown().optional(),
    prompt_tokens: z.number().optional(),
    completion_tokens: z.number().optional(),
  })
  .loose();
type Envelope = z.infer<typeof Envelope>;

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** LiteLLM spend-log rows: a request id, a call type and a start time, with no request body object. */
function isLiteLLM(v: Record<string, unknown>): boolean {
  return typeof v['request_id'] === 'string' && typeof v['call_type'] === 'string' && 'startTime' in v;
}

/**
 * Sniffing is unambiguous: a native event has the prompt at the top level and never a
 * `request`/`request_body` object; OTLP has `resourceSpans`/`resourceLogs`.
 */
function sniff(v: unknown): boolean {
  if (!isObj(v) || 'resourceSpans' in v || 'resourceLogs' in v) return false;
  const req = v['request'] ?? v['request_body'];
  if (isObj(req) && ('model' in req || 'messages' in req || 'input' in req || 'prompt' in req)) return true;
  if (typeof req === 'string' && BODY_TEXT.test(req)) return true;
  return isLiteLLM(v);
}

/** A body logged as JSON text (many gateways store the raw bytes): an object naming a model or a prompt. */
const BODY_TEXT = /^\s*\{[\s\S]*"(model|messages|input|prompt)"\s*:/;

/** Bodies logged as JSON text are read as the objects they encode; anything else is left for validation to name. */
function body(v: unknown): unknown {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function fail(reason: string, field: string, expected: string, found: string): Conversion {
  const p: ConvertProblem = { reason, field, expected, found };
  return { candidates: [], problems: [p] };
}

export const openaiFormat: SourceFormat = {
  name: 'openai',
  sniff,
  convert: (value) => {
    if (!isObj(value))
      return fail(
        `expected a request-log object, found ${describe(value)}`,
        '(record)',
        'object',
        describe(value),
      );
    const env = parsePrecise(Envelope, value);
    if (!env.success) return { candidates: [], problems: [problemFrom(env.error)] };
    const lite = isLiteLLM(value) && value['request'] === undefined && value['request_body'] === undefined;
    const rawReq = lite ? liteRequest(env.data) : body(value['request'] ?? value['request_body']);
    const req = parsePrecise(RequestBody, rawReq ?? {});
    if (!req.success) return { candidates: [], problems: [nested(problemFrom(req.error), 'request')] };
    const res = responseOf(body(value['response'] ?? value['response_body']));
    if ('problem' in res) return { candidates: [], problems: [res.problem] };
    const out = build(env.data, req.data, res.info, lite);
    if ('problem' in out) return { candidates: [], problems: [out.problem] };
    return { candidates: [{ value: out.event }], problems: [] };
  },
};

function nested(p: ConvertProblem, prefix: string): ConvertProblem {
  if (!p.field) return p;
  // A problem with the body as a whole ("(record)") is a problem with the field that holds it.
  const field = p.field === '(record)' ? prefix : `${prefix}.${p.field}`;
  return { ...p, field, reason: p.reason.replace(`field "${p.field}"`, `field "${field}"`) };
}

/** LiteLLM keeps the request messages at the top level (an empty object when prompts are not stored). */
function liteRequest(env: Envelope): unknown {
  const req: Record<string, unknown> = {};
  if (env.model !== undefined) req['model'] = env.model;
  if (Array.isArray(env.messages)) req['messages'] = env.messages;
  else if (isObj(env.messages) && Array.isArray(env.messages['messages']))
    req['messages'] = env.messages['messages'];
  else if (typeof env.messages === 'string') req['prompt'] = env.messages;
  return req;
}

function responseOf(raw: unknown): { info: ResponseInfo | undefined } | { problem: ConvertProblem } {
  if (raw === undefined || raw === null || (isObj(raw) && Object.keys(raw).length === 0))
    return { info: undefined };
  if (Array.isArray(raw)) {
    const chunks = parsePrecise(StreamBody, raw);
    if (!chunks.success) return { problem: nested(problemFrom(chunks.error), 'response') };
    const s = streamInfo(chunks.data);
    return s.bad
      ? { problem: nested(problemFrom(s.bad.error), `response.${s.bad.index}`) }
      : { info: s.info };
  }
  const r = parsePrecise(ResponseBody, raw);
  return r.success ? { info: responseInfo(r.data) } : { problem: nested(problemFrom(r.error), 'response') };
}

function meta(env: Envelope, key: string): string | undefined {
  const v = env.metadata?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function firstOf(...vals: (string | null | undefined)[]): string | undefined {
  for (const v of vals) if (typeof v === 'string' && v.trim() !== '') return v;
  return undefined;
}

/** The API customer: explicit account, then organization, team, project, then a LiteLLM internal user. */
export function accountOf(env: Envelope, lite: boolean): string | undefined {
  return firstOf(
    env.account,
    env.account_id,
    env.org,
    env.organization,
    env.org_id,
    meta(env, 'user_api_key_org_id'),
    env.team_id,
    meta(env, 'user_api_key_team_id'),
    env.project,
    env.project_id,
    meta(env, 'user_api_key_user_id'),
    lite ? env.user : undefined,
  );
}

const ACCOUNT_FIELDS =
  'account, account_id, org, organization, org_id, team_id, project, project_id (or LiteLLM metadata.user_api_key_org_id / _team_id / _user_id, user)';

/** A raw secret key is never written downstream: it is replaced by a short digest that still identifies it. */
function keyId(k: string | undefined): string | undefined {
  if (k === undefined || !/^sk-/.test(k) || k.length < 20) return k;
  return `sk-…${createHash('sha256').update(k).digest('hex').slice(0, 16)}`;
}

function header(env: Envelope, name: string): string | undefined {
  const h = env.headers;
  if (!h) return undefined;
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/** Epoch seconds (LiteLLM floats, `created`) or milliseconds, or ISO text → epoch ms. */
function toMs(v: string | number): number {
  if (typeof v === 'number') return Math.round(v < 1e11 ? v * 1000 : v);
  if (/^\d+(\.\d+)?$/.test(v)) return toMs(Number(v));
  return Date.parse(v);
}

function statusOf(env: Envelope, res: ResponseInfo | undefined): number | undefined {
  const s = env.status ?? env.status_code;
  if (typeof s === 'number') return s;
  if (typeof s === 'string') {
    if (/^\d{3}$/.test(s)) return Number(s);
    // LiteLLM writes "success" / "failure".
    if (s === 'success') return 200;
    if (s === 'failure') return 500;
  }
  return res?.error_type !== undefined ? 500 : undefined;
}

type Built = { event: Record<string, unknown> } | { problem: ConvertProblem };

function build(env: Envelope, req: RequestBody, res: ResponseInfo | undefined, lite: boolean): Built {
  const id = firstOf(env.request_id, env.id, res?.id);
  if (id === undefined)
    return {
      problem: {
        reason: 'no request id: expected "request_id" (or "id", or response.id), found none',
        field: 'request_id',
        expected: 'string',
        found: 'nothing (missing)',
      },
    };
  const when = env.timestamp ?? env.time ?? env.ts ?? env.created_at ?? env.startTime ?? res?.created;
  if (when === undefined)
    return {
      problem: {
        reason:
          'no time: expected "timestamp" (or time, ts, created_at, startTime, response.created), found none',
        field: 'timestamp',
        expected: 'ISO-8601 or epoch',
        found: 'nothing (missing)',
      },
    };
  const ts = toMs(when);
  if (!Number.isFinite(ts) || ts < 0)
    return {
      problem: {
        reason: `field "timestamp": expected ISO-8601 or epoch seconds/milliseconds, found ${describe(when)}`,
        field: 'timestamp',
        expected: 'ISO-8601 or epoch',
        found: describe(when),
      },
    };
  const account = accountOf(env, lite);
  if (account === undefined)
    return {
      problem: {
        reason: `no account: expected one of ${ACCOUNT_FIELDS}, found none`,
        field: 'account',
        expected: 'string',
        found: 'nothing (missing)',
      },
    };
  const prompt = promptOf(req);
  // LiteLLM stores no prompts unless told to: such a row still counts for volume, timing and usage.
  if (lite && prompt.messages === undefined && prompt.prompt === undefined) prompt.messages = [];
  const e: Record<string, unknown> = {
    id,
    ts,
    account,
    model: req.model ?? env.model ?? res?.model,
    ...prompt,
  };
  const opt = (k: string, v: unknown): void => {
    if (v !== undefined && v !== null) e[k] = v;
  };
  opt('org', firstOf(env.org, env.organization, env.org_id, meta(env, 'user_api_key_org_id')));
  opt('project', firstOf(env.project, env.project_id, env.team_id, meta(env, 'user_api_key_team_id')));
  opt('key', keyId(firstOf(env.api_key_id, env.key_id, env.api_key, meta(env, 'user_api_key_hash'))));
  opt('end_user', firstOf(env.end_user, req.safety_identifier, req.user, header(env, 'x-end-user-id')));
  opt(
    'ip',
    firstOf(
      env.ip,
      env.client_ip,
      env.requester_ip_address,
      header(env, 'x-forwarded-for')?.split(',')[0]?.trim(),
    ),
  );
  opt('user_agent', firstOf(env.user_agent, header(env, 'user-agent')));
  opt(
    'endpoint',
    firstOf(env.path, env.endpoint)
      ?.replace(/^[a-z]+:\/\/[^/]+/i, '')
      .replace(/\?.*$/, ''),
  );
  opt('method', env.method);
  opt('tools', req.tools);
  opt('params', paramsOf(req));
  opt('status', statusOf(env, res));
  opt(
    'latency_ms',
    env.latency_ms ??
      env.duration_ms ??
      (lite && env.endTime !== undefined && env.startTime !== undefined
        ? toMs(env.endTime) - toMs(env.startTime)
        : undefined),
  );
  opt('usage', res?.usage ?? (lite ? liteUsage(env) : undefined));
  opt('output', res?.output);
  opt('finish_reason', res?.finish_reason);
  opt('error_type', res?.error_type);
  return { event: e };
}

function liteUsage(env: Envelope): Record<string, number> | undefined {
  if (env.prompt_tokens === undefined && env.completion_tokens === undefined) return undefined;
  const u: Record<string, number> = {};
  if (env.prompt_tokens !== undefined) u['input_tokens'] = env.prompt_tokens;
  if (env.completion_tokens !== undefined) u['output_tokens'] = env.completion_tokens;
  return u;
}
