import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Context, Handler } from 'hono';
import type { Endpoint } from './body.js';
import type { GatewayEnv } from './context.js';
import type { Exchange } from './exchange.js';
import { onClientGone, requestBodyStream, requestHeaders } from './node-io.js';
import { openAIError } from './openai-error.js';
import { runJsonStages, streamThroughStages } from './stages.js';
import { createUpstreamClient, UpstreamError, type UpstreamClient } from './upstream.js';

export interface ProxyOptions {
  /** Base URL of the OpenAI-compatible upstream, e.g. http://127.0.0.1:8000 or https://api.openai.com/v1. */
  upstream: string;
  /** Time allowed for the upstream to send response headers (default 60 s). */
  headersTimeoutMs?: number;
  client?: UpstreamClient;
  /** Request headers never forwarded (e.g. the end-user header, trusted front-proxy headers). */
  dropHeaders?: readonly string[];
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'accept-encoding'];
const DROP_FROM_UPSTREAM = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

function forwardHeaders(c: Context<GatewayEnv>, drop: ReadonlySet<string>, bodyLength: number | null): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const src = requestHeaders(c);
  for (const key in src) if (!drop.has(key)) out[key] = src[key];
  if (bodyLength !== null) out['content-length'] = bodyLength;
  else if (typeof src['content-length'] === 'string') out['content-length'] = src['content-length'];
  else if (src['transfer-encoding'] !== undefined) out['transfer-encoding'] = 'chunked';
  return out;
}

function responseHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in h) {
    const v = h[key];
    if (v !== undefined && !DROP_FROM_UPSTREAM.has(key)) out[key] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Joins the upstream base path and the request path; a base ending in /v1 absorbs the path's /v1. */
export function upstreamPath(basePath: string, path: string, search: string): string {
  const prefix = basePath.replace(/\/+$/, '');
  let rest = path;
  if (prefix.endsWith('/v1') && (rest === '/v1' || rest.startsWith('/v1/'))) rest = rest.slice(3);
  return `${prefix}${rest}${search}`;
}

function failure(x: Exchange | undefined, err: unknown, clientGone: boolean): Response {
  const reason = err instanceof UpstreamError ? err.reason : 'unreachable';
  if (clientGone || reason === 'aborted') {
    x?.finish(499, 'client_disconnected');
    return new Response(null, { status: 499 });
  }
  if (reason === 'timeout') {
    x?.finish(504, 'upstream_timeout');
    return openAIError(504, 'The upstream did not answer in time.', 'server_error', 'upstream_timeout');
  }
  x?.finish(502, 'upstream_unreachable');
  const why = err instanceof Error ? err.message : 'connection failed';
  return openAIError(502, `The upstream could not be reached (${why}).`, 'server_error', 'upstream_unreachable');
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
    res.once('aborted', () => reject(new UpstreamError('unreachable', 'upstream closed the connection mid-response')));
  });
}

async function plainResponse(res: IncomingMessage, endpoint: Endpoint, x: Exchange): Promise<Response> {
  const headers = responseHeaders(res.headers);
  const status = res.statusCode ?? 502;
  const text = await readAll(res);
  if (status >= 400 || !(res.headers['content-type'] ?? '').includes('json')) {
    x.finish(status, status >= 400 ? 'upstream_error' : 'ok');
    return new Response(text, { status, headers });
  }
  const body = runJsonStages(text, x.pipeline(), endpoint);
  x.finish(status);
  return new Response(body, { status, headers });
}

/**
 * Forwards the request upstream and applies the response stages registered by earlier
 * middleware, streaming included. A client that goes away aborts the upstream call.
 * @example
 * app.all('*', proxy({ upstream: 'http://127.0.0.1:8000' }));
 */
export function proxy(options: ProxyOptions): Handler<GatewayEnv> {
  const base = new URL(options.upstream);
  const secure = base.protocol === 'https:';
  const origin = { secure, hostname: base.hostname.replace(/^\[|\]$/g, ''), port: base.port ? Number(base.port) : secure ? 443 : 80 };
  const client = options.client ?? createUpstreamClient();
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
  const drop = new Set([...HOP_BY_HOP, ...(options.dropHeaders ?? []).map((h) => h.toLowerCase())]);
  return async function proxyRequest(c) {
    const body = c.get('body');
    const x = body ? c.get('exchange') : undefined;
    const payload = body ? JSON.stringify(body.json) : null;
    const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    const stream = payload === null && hasBody ? requestBodyStream(c) : null;
    const query = c.req.url.indexOf('?');
    const target = { ...origin, path: upstreamPath(base.pathname, c.req.path, query < 0 ? '' : c.req.url.slice(query)) };
    const call = client.send(target, c.req.method, forwardHeaders(c, drop, payload === null ? null : Buffer.byteLength(payload)), payload ?? stream, headersTimeoutMs);
    let gone = false;
    const unsubscribe = onClientGone(c, () => {
      gone = true;
      call.abort();
    });
    let res: IncomingMessage;
    try {
      res = await call.response;
    } catch (err) {
      unsubscribe();
      return failure(x, err, gone);
    }
    const status = res.statusCode ?? 502;
    if (!body || !x) {
      unsubscribe();
      if (status === 204 || status === 304) return new Response(null, { status, headers: responseHeaders(res.headers) });
      return new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers: { ...responseHeaders(res.headers), 'transfer-encoding': 'chunked' } });
    }
    if (status < 400 && (res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      x.pending = true;
      const out = streamThroughStages(res, x, body.endpoint, { abortUpstream: () => call.abort(), release: unsubscribe, isClientGone: () => gone });
      // Declaring chunked encoding up front stops @hono/node-server from probing the first
      // chunks (with a timer) to compute a content-length: that probe alone added milliseconds to TTFT.
      return new Response(out, { status, headers: { ...responseHeaders(res.headers), 'transfer-encoding': 'chunked' } });
    }
    try {
      return await plainResponse(res, body.endpoint, x);
    } catch (err) {
      return failure(x, err, gone);
    } finally {
      unsubscribe();
    }
  };
}
