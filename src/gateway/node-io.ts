import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { GatewayEnv } from './context.js';

/**
 * Request I/O that goes to Node's own objects when the app runs on @hono/node-server,
 * and falls back to the Fetch API objects under `app.request()`. Building a full Request
 * (headers, body stream, abort signal) for every proxied call costs more than the whole
 * latency budget, so the hot path avoids it.
 */
interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

function bindings(c: Context<GatewayEnv>): NodeBindings {
  const env = c.env as NodeBindings | undefined;
  return env && typeof env === 'object' ? env : {};
}

/** One request header, lower-case name. */
export function header(c: Context<GatewayEnv>, name: string): string | undefined {
  const incoming = bindings(c).incoming;
  if (!incoming) return c.req.header(name);
  const v = incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** All request headers as a plain object. */
export function requestHeaders(c: Context<GatewayEnv>): Record<string, string | string[] | undefined> {
  const incoming = bindings(c).incoming;
  if (incoming) return incoming.headers;
  const out: Record<string, string> = {};
  c.req.raw.headers.forEach((v, k) => (out[k] = v));
  return out;
}

/** The whole request body as text, refusing bodies over `maxBytes`. */
export async function readRequestText(c: Context<GatewayEnv>, maxBytes: number): Promise<string | null> {
  const incoming = bindings(c).incoming;
  if (!incoming) return c.req.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** The request body as a Node stream, for paths proxied without being read. */
export function requestBodyStream(c: Context<GatewayEnv>): Readable | null {
  const incoming = bindings(c).incoming;
  if (incoming) return incoming;
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body) : null;
}

/** Calls `fn` if the client goes away before its response is complete; returns an unsubscribe. */
export function onClientGone(c: Context<GatewayEnv>, fn: () => void): () => void {
  const outgoing = bindings(c).outgoing;
  if (outgoing) {
    const listener = (): void => {
      if (!outgoing.writableFinished) fn();
    };
    outgoing.once('close', listener);
    return () => outgoing.off('close', listener);
  }
  const signal = c.req.raw.signal;
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/** Remote address of the connection, when running on Node. */
export function remoteAddress(c: Context<GatewayEnv>): string | undefined {
  return bindings(c).incoming?.socket.remoteAddress;
}
