import { isIP } from 'node:net';
import { AttrBag, FieldProblem } from './otlp-attrs.js';

/**
 * Who the API customer is, first match wins (span or log attributes before scope before resource):
 * an explicit `stillwatch.account`; then `user.id` (the current name) and `enduser.id` (its
 * deprecated one), which API gateways set to the authenticated caller; then `service.name`,
 * the calling application, when telemetry comes from the customer's own instrumented client
 * (the SDK default `unknown_service…` never counts).
 */
export const ACCOUNT_KEYS = ['stillwatch.account', 'user.id', 'enduser.id', 'service.name'] as const;

function account(attrs: AttrBag): string {
  for (const key of ACCOUNT_KEYS) {
    const v = attrs.ident(key);
    if (v === undefined || (key === 'service.name' && v.startsWith('unknown_service'))) continue;
    return v;
  }
  throw new FieldProblem({
    reason: `no account: expected one of the attributes ${ACCOUNT_KEYS.join(', ')} (span, scope or resource), found none`,
    field: 'stillwatch.account',
    expected: ACCOUNT_KEYS.join(' | '),
    found: 'nothing (missing)',
  });
}

function model(attrs: AttrBag): string {
  const m = attrs.str('gen_ai.request.model') ?? attrs.str('gen_ai.response.model');
  if (m === undefined || m === '') {
    throw new FieldProblem({
      reason: 'no model: expected attribute "gen_ai.request.model" or "gen_ai.response.model", found neither',
      field: 'gen_ai.request.model',
      expected: 'stringValue',
      found: 'nothing (missing)',
    });
  }
  return m;
}

function usage(attrs: AttrBag): Record<string, number> | undefined {
  const u: Record<string, number> = {};
  const set = (k: string, v: number | undefined): void => {
    if (v !== undefined) u[k] = v;
  };
  set('input_tokens', attrs.firstInt('gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'));
  set('output_tokens', attrs.firstInt('gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'));
  set(
    'reasoning_tokens',
    attrs.firstInt(
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.reasoning_tokens',
      'gen_ai.usage.output_tokens.reasoning',
    ),
  );
  set(
    'cached_tokens',
    attrs.firstInt(
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'gen_ai.usage.input_tokens.cached',
    ),
  );
  return Object.keys(u).length ? u : undefined;
}

function params(attrs: AttrBag): Record<string, unknown> | undefined {
  const p: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) p[k] = v;
  };
  set('temperature', attrs.num('gen_ai.request.temperature'));
  set('top_p', attrs.num('gen_ai.request.top_p'));
  set('max_tokens', attrs.int('gen_ai.request.max_tokens'));
  set('n', attrs.firstInt('gen_ai.request.choice.count', 'gen_ai.openai.request.n'));
  set('seed', attrs.int('gen_ai.request.seed'));
  set(
    'reasoning_effort',
    attrs.str('openai.request.reasoning_effort') ?? attrs.str('gen_ai.request.reasoning_effort'),
  );
  const stream = attrs.get('gen_ai.request.stream');
  if (stream !== undefined) set('stream', stream.value);
  return Object.keys(p).length ? p : undefined;
}

/**
 * The caller's address: `client.address` on server-side spans; `network.peer.address` only on
 * SERVER spans, where the peer is the caller. `server.address` is the model API's host, never
 * the caller, so it is not used. A host name where an IP is expected is kept as `client_host`.
 */
function network(attrs: AttrBag, spanKind: unknown, out: Record<string, unknown>): void {
  const isServer = spanKind === 2 || spanKind === 'SPAN_KIND_SERVER';
  const addr = attrs.str('client.address') ?? (isServer ? attrs.str('network.peer.address') : undefined);
  if (addr === undefined) return;
  if (isIP(addr)) out['ip'] = addr;
  else out['client_host'] = addr;
}

/**
 * HTTP status from `http.response.status_code`; else from `error.type` when it is a status
 * code ("429"); else 500 when `error.type` is set or the span status is ERROR (the operation
 * failed but its code was not recorded). `error.type` itself is kept as `error_type`.
 */
function status(attrs: AttrBag, statusCode: unknown, out: Record<string, unknown>): void {
  const http = attrs.int('http.response.status_code');
  const err = attrs.ident('error.type');
  if (err !== undefined) out['error_type'] = err;
  if (http !== undefined) out['status'] = http;
  else if (err !== undefined && /^[1-5]\d\d$/.test(err)) out['status'] = Number(err);
  else if (err !== undefined || statusCode === 2 || statusCode === 'STATUS_CODE_ERROR') out['status'] = 500;
}

export interface SpanContext {
  spanKind?: unknown;
  statusCode?: unknown;
}

/** The TrafficEvent fields that spans and inference log records share. */
export function exchangeFields(attrs: AttrBag, ctx: SpanContext): Record<string, unknown> {
  const out: Record<string, unknown> = { account: account(attrs), model: model(attrs) };
  const provider = attrs.str('gen_ai.provider.name') ?? attrs.str('gen_ai.system');
  if (provider !== undefined) out['provider'] = provider;
  const opt = (k: string, v: string | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  opt('org', attrs.ident('stillwatch.org'));
  opt('key', attrs.ident('stillwatch.key'));
  opt('end_user', attrs.ident('stillwatch.end_user') ?? attrs.ident('enduser.pseudo.id'));
  opt('user_agent', attrs.str('user_agent.original'));
  opt('endpoint', attrs.str('url.path') ?? attrs.str('http.route'));
  opt('operation', attrs.str('gen_ai.operation.name'));
  opt('conversation', attrs.ident('gen_ai.conversation.id'));
  opt('response_id', attrs.str('gen_ai.response.id'));
  network(attrs, ctx.spanKind, out);
  status(attrs, ctx.statusCode, out);
  const u = usage(attrs);
  if (u) out['usage'] = u;
  const p = params(attrs);
  if (p) out['params'] = p;
  const defs = attrs.json('gen_ai.tool.definitions');
  if (Array.isArray(defs)) out['tools'] = defs;
  return out;
}
