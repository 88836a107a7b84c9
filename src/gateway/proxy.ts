import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { upstreamPayload, type RequestBody } from './body.js';
import { afterResponse } from './deferred-queue.js';
import type { Exchange } from './exchange.js';
import { onClientGone, rawHeader, sendReply } from './node-io.js';
import { openAIError, type Reply } from './openai-error.js';
import { relayStream, runJsonStages } from './stages.js';
import { createUpstreamClient, UpstreamError, type UpstreamClient, type UpstreamResponse } from './upstream.js';

export interface ProxyOptions {
  /** Base URL of the OpenAI-compatible upstream, e.g. http://127.0.0.1:8000 or https://api.openai.com/v1. */
  upstream: string;
  /** Time allowed for the upstream to send response headers (default 60 s). */
  headersTimeoutMs?: number;
  client?: UpstreamClient;
  /** Request headers never forwarded (e.g. the end-user header, trusted front-proxy headers). */
  dropHeaders?: readonly string[];
}

/** Forwards one request (its body already read when it is an exchange) and writes the answer. */
export type Forwarder = (req: IncomingMessage, res: ServerResponse, body: RequestBody | null, x: Exchange | undefined) => Promise<void>;

/** Not forwarded: hop-by-hop fields, and framing and Host, which the upstream client sets itself. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'accept-encoding', 'expect'];
const DROP_FROM_UPSTREAM = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/** Request headers to send upstream, as a flat [name, value, …] list taken from the raw headers. */
function forwardHeaders(req: IncomingMessage, drop: ReadonlySet<string>, streamed: boolean): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!drop.has(name.toLowerCase())) out.push(name, raw[i + 1] as string);
  }
  // A body relayed as a stream keeps its declared length (else it goes chunked).
  const length = streamed ? rawHeader(raw, 'content-length') : undefined;
  if (length !== undefined) out.push('content-length', length);
  return out;
}

/** Response headers to pass back (hop-by-hop and length/encoding dropped), as a flat list. */
function backHeaders(h: IncomingHttpHeaders): (string | string[])[] {
  const out: (string | string[])[] = [];
  for (const name in h) {
    const v = h[name];
    if (v !== undefined && !DROP_FROM_UPSTREAM.has(name)) out.push(name, v);
  }
  return out;
}

function contentType(h: IncomingHttpHeaders): string {
  const v = h['content-type'];
  return typeof v === 'string' ? v : '';
}

/** Joins the upstream base path and the request path; a base ending in /v1 absorbs the path's /v1. */
export function upstreamPath(basePath: string, path: string, search: string): string {
  const prefix = basePath.replace(/\/+$/, '');
  let rest = path;
  if (prefix.endsWith('/v1') && (rest === '/v1' || rest.startsWith('/v1/'))) rest = rest.slice(3);
  return `${prefix}${rest}${search}`;
}

/** Maps a failed upstream call to the answer and the recorded outcome; null when the client is gone. */
function failure(x: Exchange | undefined, err: unknown, clientGone: boolean): Reply | null {
  const reason = err instanceof UpstreamError ? err.reason : 'unreachable';
  if (clientGone || reason === 'aborted') {
    x?.finish(499, 'client_disconnected');
    return null;
  }
  if (reason === 'timeout') {
    x?.finish(504, 'upstream_timeout');
    return openAIError(504, 'The upstream did not answer in time.', 'server_error', 'upstream_timeout');
  }
  x?.finish(502, 'upstream_unreachable');
  const why = err instanceof Error ? err.message : 'connection failed';
  return openAIError(502, `The upstream could not be reached (${why}).`, 'server_error', 'upstream_unreachable');
}

function readAll(upstream: UpstreamResponse): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    upstream.read({
      data: (c) => chunks.push(c),
      end: () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
      error: reject,
    });
  });
}

function sendBody(res: ServerResponse, status: number, headers: (string | string[])[], body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  headers.push('content-length', String(bytes.length));
  res.writeHead(status, headers as string[]);
  res.end(bytes);
}

/** A response relayed as it comes, with backpressure, for paths the gateway does not interpret. */
function relayRaw(upstream: UpstreamResponse, res: ServerResponse, done: () => void): void {
  res.writeHead(upstream.status, backHeaders(upstream.headers) as string[]);
  res.on('drain', () => upstream.resume());
  upstream.read({
    data(chunk) {
      if (!res.write(chunk)) upstream.pause();
    },
    end() {
      res.end();
      done();
    },
    error() {
      res.destroy();
      done();
    },
  });
}

/**
 * A whole (not streamed) response. With no stage that changes content, the upstream's bytes
 * are sent as they are and the record stage reads them after the write, off the request's path.
 */
async function plainResponse(upstream: UpstreamResponse, res: ServerResponse, body: RequestBody, x: Exchange): Promise<void> {
  const status = upstream.status;
  const headers = backHeaders(upstream.headers);
  const bytes = await readAll(upstream);
  if (status >= 400 || !contentType(upstream.headers).includes('json')) {
    sendBody(res, status, headers, bytes);
    x.finish(status, status >= 400 ? 'upstream_error' : 'ok');
    return;
  }
  if (x.stages.length > 0) {
    sendBody(res, status, headers, runJsonStages(bytes.toString('utf8'), x.pipeline(), body.endpoint));
    x.finish(status);
    return;
  }
  sendBody(res, status, headers, bytes);
  afterResponse(() => {
    try {
      runJsonStages(bytes.toString('utf8'), x.observers, body.endpoint);
    } finally {
      x.finish(status);
    }
  });
}

/**
 * Forwards requests upstream over pooled keep-alive connections and applies the exchange's
 * response stages, streaming included. A client that goes away aborts the upstream call.
 * @example
 * const forward = createForwarder({ upstream: 'http://127.0.0.1:8000' });
 * await forward(req, res, body, exchange);
 */
export function createForwarder(options: ProxyOptions): Forwarder {
  const basePath = new URL(options.upstream).pathname;
  const client = options.client ?? createUpstreamClient(options.upstream);
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
  const drop = new Set([...HOP_BY_HOP, ...(options.dropHeaders ?? []).map((h) => h.toLowerCase())]);
  return async function forward(req, res, body, x) {
    const payload = body ? upstreamPayload(body) : null;
    const streamed = payload === null && req.method !== 'GET' && req.method !== 'HEAD';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = upstreamPath(basePath, query < 0 ? url : url.slice(0, query), query < 0 ? '' : url.slice(query));
    const call = client.send(path, req.method ?? 'GET', forwardHeaders(req, drop, streamed), payload ?? (streamed ? req : null), headersTimeoutMs);
    let gone = false;
    const unsubscribe = onClientGone(res, () => {
      gone = true;
      call.abort();
    });
    let upstream: UpstreamResponse;
    try {
      upstream = await call.response;
    } catch (err) {
      unsubscribe();
      const reply = failure(x, err, gone);
      if (reply) sendReply(res, reply);
      return;
    }
    if (!body || !x) {
      // Not an exchange the gateway understands: relayed as it is.
      relayRaw(upstream, res, unsubscribe);
      return;
    }
    if (upstream.status < 400 && contentType(upstream.headers).startsWith('text/event-stream')) {
      relayStream(upstream, res, x, body.endpoint, { release: unsubscribe, isClientGone: () => gone }, backHeaders(upstream.headers) as string[]);
      return;
    }
    try {
      await plainResponse(upstream, res, body, x);
    } catch (err) {
      const reply = failure(x, err, gone);
      if (reply) sendReply(res, reply);
    } finally {
      unsubscribe();
    }
  };
}
