import type { Handler } from 'hono';
import type { Endpoint } from './body.js';
import type { GatewayEnv } from './context.js';
import type { Exchange } from './exchange.js';
import { openAIError } from './openai-error.js';
import { streamThroughStages, runJsonStages } from './stages.js';

export interface ProxyOptions {
  /** Base URL of the OpenAI-compatible upstream, e.g. http://127.0.0.1:8000 or https://api.openai.com/v1. */
  upstream: string;
  /** Time allowed for the upstream to send response headers (default 60 s). */
  headersTimeoutMs?: number;
  fetch?: typeof fetch;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'accept-encoding']);
const DROP_FROM_UPSTREAM = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

function forwardHeaders(req: Request, drop: ReadonlySet<string>): Headers {
  const out = new Headers();
  req.headers.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key) && !drop.has(key)) out.set(key, value);
  });
  return out;
}

function responseHeaders(res: Response): Headers {
  const out = new Headers();
  res.headers.forEach((value, key) => {
    if (!DROP_FROM_UPSTREAM.has(key)) out.set(key, value);
  });
  return out;
}

/** Joins the upstream base and the request path; a base ending in /v1 absorbs the path's /v1. */
export function upstreamUrl(base: URL, path: string, search: string): string {
  let prefix = base.pathname.replace(/\/+$/, '');
  let rest = path;
  if (prefix.endsWith('/v1') && (rest === '/v1' || rest.startsWith('/v1/'))) rest = rest.slice(3);
  if (prefix === '/') prefix = '';
  return `${base.origin}${prefix}${rest}${search}`;
}

function failure(x: Exchange | undefined, err: unknown, clientGone: boolean, timedOut: boolean): Response {
  if (clientGone) {
    x?.finish(499, 'client_disconnected');
    return new Response(null, { status: 499 });
  }
  if (timedOut) {
    x?.finish(504, 'upstream_timeout');
    return openAIError(504, 'The upstream did not answer in time.', 'server_error', 'upstream_timeout');
  }
  x?.finish(502, 'upstream_unreachable');
  const why = err instanceof Error && err.cause instanceof Error ? err.cause.message : 'connection failed';
  return openAIError(502, `The upstream could not be reached (${why}).`, 'server_error', 'upstream_unreachable');
}

async function finishPlain(res: Response, endpoint: Endpoint | null, x: Exchange | undefined): Promise<Response> {
  const headers = responseHeaders(res);
  if (endpoint === null || !x) return new Response(res.body, { status: res.status, headers });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  if (res.status >= 400 || !isJson) {
    x.finish(res.status, res.status >= 400 ? 'upstream_error' : 'ok');
    return new Response(text, { status: res.status, headers });
  }
  const body = runJsonStages(text, x.pipeline(), endpoint);
  x.finish(res.status);
  return new Response(body, { status: res.status, headers });
}

/**
 * Forwards the request upstream and applies the response stages registered by earlier
 * middleware, streaming included. Client disconnects abort the upstream request.
 * @example
 * app.all('*', proxy({ upstream: 'http://127.0.0.1:8000' }));
 */
export function proxy(options: ProxyOptions): Handler<GatewayEnv> {
  const base = new URL(options.upstream);
  const doFetch = options.fetch ?? fetch;
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
  return async function proxyRequest(c) {
    const body = c.get('body');
    const x = c.get('exchange') as Exchange | undefined;
    const req = c.req.raw;
    const url = new URL(req.url);
    const abort = new AbortController();
    let clientGone = false;
    let timedOut = false;
    const onClientAbort = (): void => {
      clientGone = true;
      abort.abort();
    };
    req.signal.addEventListener('abort', onClientAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, headersTimeoutMs);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    let res: Response;
    try {
      res = await doFetch(upstreamUrl(base, url.pathname, url.search), {
        method: req.method,
        headers: forwardHeaders(req, new Set()),
        body: body ? JSON.stringify(body.json) : hasBody ? req.body : null,
        signal: abort.signal,
        redirect: 'manual',
        ...(hasBody && !body ? { duplex: 'half' } : {}),
      });
    } catch (err) {
      return failure(x, err, clientGone || req.signal.aborted, timedOut);
    } finally {
      clearTimeout(timer);
    }
    const release = (): void => req.signal.removeEventListener('abort', onClientAbort);
    const streaming = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    if (body && x && streaming && res.status < 400 && res.body) {
      x.pending = true;
      const stream = streamThroughStages(res.body, x, body.endpoint, {
        isClientGone: () => clientGone || req.signal.aborted,
        abortUpstream: () => abort.abort(),
        release,
      });
      return new Response(stream, { status: res.status, headers: responseHeaders(res) });
    }
    try {
      return await finishPlain(res, body?.endpoint ?? null, body ? x : undefined);
    } catch (err) {
      return failure(x, err, clientGone || req.signal.aborted, false);
    } finally {
      if (!body || !streaming) release();
    }
  };
}
