import type { IncomingMessage, ServerResponse } from 'node:http';
import { upstreamPayload, type RequestBody } from './body.js';
import type { Exchange } from './exchange.js';
import { onClientGone, sendReply } from './node-io.js';
import { openAIError, type Reply } from './openai-error.js';
import { relayStream, runJsonStages } from './stages.js';
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

/** Forwards one request (its body already read when it is an exchange) and writes the answer. */
export type Forwarder = (req: IncomingMessage, res: ServerResponse, body: RequestBody | null, x: Exchange | undefined) => Promise<void>;

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'accept-encoding'];
const DROP_FROM_UPSTREAM = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/**
 * Request headers to send upstream, as a flat [name, value, …] list taken from the raw
 * headers: Node writes such a list as it is, where an object goes through a validating
 * setHeader per field.
 */
function forwardHeaders(req: IncomingMessage, drop: ReadonlySet<string>, host: string, bodyLength: number | null): string[] {
  const raw = req.rawHeaders;
  const out: string[] = ['host', host];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!drop.has(name.toLowerCase())) out.push(name, raw[i + 1] as string);
  }
  if (bodyLength !== null) out.push('content-length', String(bodyLength));
  else if (req.headers['content-length'] !== undefined) out.push('content-length', req.headers['content-length']);
  else if (req.headers['transfer-encoding'] !== undefined) out.push('transfer-encoding', 'chunked');
  return out;
}

/** Response headers to pass back (hop-by-hop and length/encoding dropped), as a flat list. */
function backHeaders(res: IncomingMessage, extra?: [string, string]): string[] {
  const raw = res.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!DROP_FROM_UPSTREAM.has(name.toLowerCase())) out.push(name, raw[i + 1] as string);
  }
  if (extra) out.push(extra[0], extra[1]);
  return out;
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

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    res.once('error', reject);
    res.once('aborted', () => reject(new UpstreamError('unreachable', 'upstream closed the connection mid-response')));
  });
}

function sendBody(res: ServerResponse, status: number, headers: string[], body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  headers.push('content-length', String(bytes.length));
  res.writeHead(status, headers);
  res.end(bytes);
}

/**
 * A whole (not streamed) response. With no stage that changes content, the upstream's bytes
 * are sent as they are and the record stage reads them after the write, off the request's path.
 */
async function plainResponse(upstream: IncomingMessage, res: ServerResponse, body: RequestBody, x: Exchange): Promise<void> {
  const status = upstream.statusCode ?? 502;
  const headers = backHeaders(upstream);
  const bytes = await readAll(upstream);
  if (status >= 400 || !(upstream.headers['content-type'] ?? '').includes('json')) {
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
  setImmediate(() => {
    runJsonStages(bytes.toString('utf8'), x.observers, body.endpoint);
    x.finish(status);
  });
}

/**
 * Forwards requests upstream over keep-alive connections and applies the exchange's
 * response stages, streaming included. A client that goes away aborts the upstream call.
 * @example
 * const forward = createForwarder({ upstream: 'http://127.0.0.1:8000' });
 * await forward(req, res, body, exchange);
 */
export function createForwarder(options: ProxyOptions): Forwarder {
  const base = new URL(options.upstream);
  const secure = base.protocol === 'https:';
  const hostname = base.hostname.replace(/^\[|\]$/g, '');
  const port = base.port ? Number(base.port) : secure ? 443 : 80;
  const host = base.port ? `${base.hostname}:${base.port}` : base.hostname;
  const client = options.client ?? createUpstreamClient();
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
  const drop = new Set([...HOP_BY_HOP, ...(options.dropHeaders ?? []).map((h) => h.toLowerCase())]);
  return async function forward(req, res, body, x) {
    const payload = body ? upstreamPayload(body) : null;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = upstreamPath(base.pathname, query < 0 ? url : url.slice(0, query), query < 0 ? '' : url.slice(query));
    const length = payload === null ? null : typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    const headers = forwardHeaders(req, drop, host, length);
    const call = client.send({ secure, hostname, port, path }, req.method ?? 'GET', headers, payload ?? (hasBody ? req : null), headersTimeoutMs);
    let gone = false;
    const unsubscribe = onClientGone(res, () => {
      gone = true;
      call.abort();
    });
    let upstream: IncomingMessage;
    try {
      upstream = await call.response;
    } catch (err) {
      unsubscribe();
      const reply = failure(x, err, gone);
      if (reply) sendReply(res, reply);
      return;
    }
    const status = upstream.statusCode ?? 502;
    if (!body || !x) {
      // Not an exchange the gateway understands: relayed as it is.
      res.writeHead(status, backHeaders(upstream));
      upstream.pipe(res);
      upstream.once('end', unsubscribe);
      upstream.once('error', () => res.destroy());
      return;
    }
    if (status < 400 && (upstream.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      relayStream(upstream, res, x, body.endpoint, { abortUpstream: () => call.abort(), release: unsubscribe, isClientGone: () => gone }, backHeaders(upstream));
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
