import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './openai-error.js';

/**
 * Request and response I/O on Node's own objects. The gateway serves its hot path with a
 * plain `node:http` handler: building web-standard Request/Response objects (headers, body
 * streams, abort signals) for every proxied call cost more than the whole latency budget.
 */

/** Headers of which Node keeps only the first when repeated; the others are joined with ", ". */
const FIRST_WINS = new Set(['age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent']);

/**
 * One header (lower-case name) read from a message's raw header list, with the value
 * `message.headers[name]` would give. Reading the raw list spares building the whole
 * headers object, which Node does lazily on first use and which cost more than the lookups.
 */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i] as string;
    if (n.length !== name.length || (n !== name && n.toLowerCase() !== name)) continue;
    const v = raw[i + 1] as string;
    if (value === undefined) value = v;
    else if (FIRST_WINS.has(name)) break;
    else value = `${value}, ${v}`;
  }
  return value;
}

/** One request header (lower-case name); repeated headers are joined as Node joins them. */
export function header(req: IncomingMessage, name: string): string | undefined {
  return rawHeader(req.rawHeaders, name);
}

/** The client went away before its request was complete: nothing to answer, nothing to log. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

/** The whole request body, or null when it is over `maxBytes` (the rest is not read). */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.off('end', onEnd);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    req.on('data', onData);
    req.once('end', onEnd);
    // A request cut short ends with 'error' (or only 'close'); either settles this as gone.
    const gone = (): void => reject(new ClientGoneError('client closed the connection mid-request'));
    req.once('error', gone);
    req.once('close', () => {
      if (!req.complete) gone();
    });
  });
}

/** Writes a whole reply: status, headers with the exact length, body. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}

/** Calls `fn` if the client goes away before its response is complete; returns an unsubscribe. */
export function onClientGone(res: ServerResponse, fn: () => void): () => void {
  const listener = (): void => {
    if (!res.writableFinished) fn();
  };
  res.once('close', listener);
  return () => res.off('close', listener);
}
