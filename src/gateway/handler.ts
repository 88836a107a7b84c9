import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DecisionCache, EventSink } from '../ports/index.js';
import { endpointOf, parseRequestBody, type RequestBody } from './body.js';
import { createDecider } from './decide.js';
import { createDegrader, type TextTransformer } from './degrade/index.js';
import { createEnforcer } from './enforce.js';
import type { Exchange } from './exchange.js';
import { createIdentifier, type IdentifyOptions } from './identify.js';
import type { KeyResolver } from './keys.js';
import { ClientGoneError, readRequestBody, sendReply } from './node-io.js';
import { openAIError, Reply } from './openai-error.js';
import { createForwarder } from './proxy.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createRecorder, type Recorder } from './record.js';
import type { UpstreamClient } from './upstream.js';

export interface GatewayOptions {
  upstream: string;
  keys: KeyResolver;
  cache: DecisionCache;
  sink: EventSink;
  failMode?: 'open' | 'closed';
  limiter?: RateLimiter;
  transformer?: TextTransformer;
  watermarkKey?: { id: string; secret: Uint8Array };
  unknownKeys?: IdentifyOptions['unknownKeys'];
  endUserHeader?: string;
  trustedHeaders?: IdentifyOptions['trustedHeaders'];
  headersTimeoutMs?: number;
  challengeUrl?: string;
  appealUrl?: string;
  /** Largest request body read, in bytes (default 16 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Upstream HTTP client (keep-alive agents); one is created when not given. */
  client?: UpstreamClient;
  now?: () => number;
  /** Told about unexpected failures (the response is a generic 500) and recording backlogs; never given keys or bodies. */
  onError?: (err: Error) => void;
}

/** The gateway as a `node:http` request handler, plus what it counts. */
export interface GatewayHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Exchanges recorded so far and any dropped because recording fell behind. */
  recording: Recorder['stats'];
}

/** Answers with a refusal; a refused exchange is still recorded, with its status. */
function refuse(res: ServerResponse, reply: Reply, x: Exchange | undefined): void {
  sendReply(res, reply);
  x?.finish(reply.status, 'refused');
}

/**
 * The gateway's request handler. Requests flow identify → read body → open the exchange →
 * decide → enforce → degrade → proxy; the response flows back through the degrade and
 * record stages (see docs/POLICY.md, "Gateway"). Each stage is a plain function returning
 * either what the next needs or the reply that ends the request.
 * @example
 * const server = http.createServer(createGatewayHandler({ upstream: 'http://127.0.0.1:8000', keys, cache, sink }));
 */
export function createGatewayHandler(o: GatewayOptions): GatewayHandler {
  const identify = createIdentifier({ keys: o.keys, unknownKeys: o.unknownKeys, endUserHeader: o.endUserHeader, trustedHeaders: o.trustedHeaders });
  const recorder = createRecorder({ sink: o.sink, onError: o.onError });
  const decide = createDecider({ cache: o.cache, failMode: o.failMode, now: o.now });
  const enforce = createEnforcer({ limiter: o.limiter ?? createMemoryRateLimiter(), challengeUrl: o.challengeUrl, appealUrl: o.appealUrl, now: o.now });
  const degrade = createDegrader({ transformer: o.transformer, watermarkKey: o.watermarkKey });
  const dropHeaders = [o.endUserHeader ?? 'x-stillwatch-end-user', ...Object.values(o.trustedHeaders ?? {})];
  const forward = createForwarder({ upstream: o.upstream, headersTimeoutMs: o.headersTimeoutMs, client: o.client, dropHeaders });
  const maxBytes = o.maxBodyBytes ?? 16 * 1024 * 1024;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const caller = identify(req);
    if (caller instanceof Reply) return sendReply(res, caller);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const endpoint = req.method === 'POST' ? endpointOf(path) : null;
    let body: RequestBody | null = null;
    let x: Exchange | undefined;
    if (endpoint !== null) {
      const raw = await readRequestBody(req, maxBytes);
      if (raw === null) return sendReply(res, openAIError(413, `Request body over ${maxBytes} bytes.`, 'invalid_request_error', 'request_too_large', { connection: 'close' }));
      const parsed = parseRequestBody(raw, endpoint);
      if (parsed instanceof Reply) return sendReply(res, parsed);
      body = parsed;
      x = recorder.open(caller, body, path);
    }
    const decided = decide(caller, x);
    if (decided instanceof Reply) return refuse(res, decided, x);
    if (x) x.enforcement = decided;
    const refusal = enforce(decided, x);
    if (refusal) return refuse(res, refusal, x);
    try {
      if (body && x) degrade(decided, body, x);
      await forward(req, res, body, x);
    } catch (err) {
      // Still recorded once: the answer is the generic 500 below.
      x?.finish(500, 'gateway_error');
      throw err;
    }
  }

  const handler: GatewayHandler = Object.assign(
    (req: IncomingMessage, res: ServerResponse): void => {
      serve(req, res).catch((err: unknown) => {
        if (err instanceof ClientGoneError) {
          res.destroy();
          return;
        }
        // One place maps unexpected failures to an OpenAI-format error; details go to the log, not the response.
        o.onError?.(err instanceof Error ? err : new Error(String(err)));
        if (res.headersSent) res.destroy();
        else sendReply(res, openAIError(500, 'The gateway failed to handle the request.', 'server_error', 'gateway_error'));
      });
    },
    { recording: () => recorder.stats() },
  );
  return handler;
}
