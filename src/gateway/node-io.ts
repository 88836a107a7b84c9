import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './openai-error.js';

/**
 * Request and response I/O on Node's own objects. The gateway serves its hot path with a
 * plain `node:http` handler: building web-standard Request/Response objects (headers, body
 * streams, abort signals) for every proxied call cost more than the whole latency budget.
 */

/** One request header (lower-case name); repeated headers are joined. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
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
    req.once('error', reject);
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
