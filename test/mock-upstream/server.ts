import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatChunks, chatCompletion } from './chat.js';
import { responseEvents, responseObject } from './responses.js';

type Json = Record<string, unknown>;

export interface MockUpstreamOptions {
  /** Port to listen on (default: any free port). */
  port?: number;
  /** Delay before the response headers, ms (per request: header `x-mock-delay-ms`). */
  delayMs?: number;
  /** Delay between SSE events, ms (per request: `x-mock-chunk-delay-ms`). */
  chunkDelayMs?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Json | null;
}

export interface MockUpstream {
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Streams whose client went away before the last event was written. */
  readonly abortedStreams: number;
  readonly openStreams: number;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
const num = (v: string | string[] | undefined, dflt: number): number => (typeof v === 'string' && v !== '' ? Number(v) : dflt);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': 'req_mock' });
  res.end(text);
}

/**
 * A small OpenAI-compatible upstream for tests and benchmarks: Chat Completions and
 * Responses, JSON and SSE, with reasoning content, logprobs, delays and injected errors.
 * Per-request controls are headers: x-mock-delay-ms, x-mock-chunk-delay-ms,
 * x-mock-status (answer with that error), x-mock-break-after (cut the stream after N events).
 * @example
 * const up = await startMockUpstream();
 */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const requests: SeenRequest[] = [];
  let abortedStreams = 0;
  let openStreams = 0;
  let seq = 0;

  async function stream(req: IncomingMessage, res: ServerResponse, events: Json[], chat: boolean): Promise<void> {
    const chunkDelay = num(req.headers['x-mock-chunk-delay-ms'], options.chunkDelayMs ?? 0);
    const breakAfter = num(req.headers['x-mock-break-after'], Infinity);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    openStreams++;
    let finished = false;
    res.on('close', () => {
      openStreams--;
      if (!finished) abortedStreams++;
    });
    for (let i = 0; i < events.length; i++) {
      if (res.destroyed) return;
      if (i >= breakAfter) {
        res.destroy();
        return;
      }
      const e = events[i] as Json;
      res.write(chat ? `data: ${JSON.stringify(e)}\n\n` : `event: ${String(e['type'])}\ndata: ${JSON.stringify(e)}\n\n`);
      await sleep(chunkDelay);
    }
    if (res.destroyed) return;
    finished = true;
    res.end(chat ? 'data: [DONE]\n\n' : undefined);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const text = req.method === 'POST' ? await readBody(req) : '';
    let body: Json | null = null;
    try {
      body = text ? (JSON.parse(text) as Json) : null;
    } catch {
      return sendJson(res, 400, { error: { message: 'invalid json', type: 'invalid_request_error', param: null, code: null } });
    }
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    await sleep(num(req.headers['x-mock-delay-ms'], options.delayMs ?? 0));
    const status = num(req.headers['x-mock-status'], 200);
    if (status >= 400) return sendJson(res, status, { error: { message: `mock upstream error ${status}`, type: 'server_error', param: null, code: 'mock_error' } });
    const id = `mock${++seq}`;
    const created = 1_767_225_600;
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: 'mock-model', object: 'model', created, owned_by: 'mock' }] });
    if (req.method === 'POST' && path === '/v1/chat/completions' && body) {
      if (body['stream'] === true) return stream(req, res, chatChunks(body, id, created), true);
      return sendJson(res, 200, chatCompletion(body, id, created));
    }
    if (req.method === 'POST' && path === '/v1/responses' && body) {
      if (body['stream'] === true) return stream(req, res, responseEvents(body, id, created), false);
      return sendJson(res, 200, responseObject(body, id, created));
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get abortedStreams() {
      return abortedStreams;
    },
    get openStreams() {
      return openStreams;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
