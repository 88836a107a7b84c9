import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';

/** Why an upstream call failed, for mapping to 502/504 and the record. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly reason: 'timeout' | 'unreachable' | 'aborted',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Receives a response body: chunks in order, then exactly one of `end` or `error`. */
export interface BodySink {
  data(chunk: Buffer): void;
  end(): void;
  error(err: UpstreamError): void;
}

/** An upstream response whose headers have arrived; the body is read with `read`. */
export interface UpstreamResponse {
  readonly status: number;
  /** Lower-case names; repeated headers as arrays. */
  readonly headers: IncomingHttpHeaders;
  /** Starts delivering the body to `sink` (what arrived before is delivered first). */
  read(sink: BodySink): void;
  /** Backpressure: stop reading from the upstream until `resume`. */
  pause(): void;
  resume(): void;
}

export interface UpstreamCall {
  response: Promise<UpstreamResponse>;
  /** Aborts the call at any point (client gone); a body being read ends with an `aborted` error. */
  abort(): void;
}

export interface UpstreamClient {
  /** `headers` as a flat [name, value, …] list; Host and body framing are the client's. */
  send(path: string, method: string, headers: string[], body: Buffer | string | Readable | null, headersTimeoutMs: number): UpstreamCall;
  close(): void;
}

function toUpstreamError(err: Error, headersTimeoutMs: number): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const code = (err as { code?: unknown }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new UpstreamError('timeout', `no response headers within ${headersTimeoutMs} ms`, { cause: err });
  if (code === 'UND_ERR_ABORTED') return new UpstreamError('aborted', 'client went away', { cause: err });
  return new UpstreamError('unreachable', err.message, { cause: err });
}

/** One response's body, buffered only until a reader is attached. */
class ResponseBody implements UpstreamResponse {
  private sink: BodySink | null = null;
  private early: Buffer[] = [];
  private outcome: UpstreamError | 'end' | null = null;

  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    private readonly controller: Dispatcher.DispatchController,
  ) {}

  push(chunk: Buffer): void {
    if (this.sink) this.sink.data(chunk);
    else this.early.push(chunk);
  }

  settle(outcome: UpstreamError | 'end'): void {
    if (this.outcome !== null) return;
    this.outcome = outcome;
    if (!this.sink) return;
    if (outcome === 'end') this.sink.end();
    else this.sink.error(outcome);
  }

  read(sink: BodySink): void {
    this.sink = sink;
    for (const chunk of this.early) sink.data(chunk);
    this.early = [];
    if (this.outcome === 'end') sink.end();
    else if (this.outcome) sink.error(this.outcome);
  }

  pause(): void {
    this.controller.pause();
  }

  resume(): void {
    this.controller.resume();
  }
}

/**
 * Upstream calls over an undici connection pool (keep-alive, no Nagle delay) through its
 * low-level dispatch API. Measured on this project's bench, the proxy hop cost ~30 µs less
 * CPU per request than `node:http` with a keep-alive agent, and `fetch` cost far more.
 * @example
 * const client = createUpstreamClient('http://127.0.0.1:8000');
 * const res = await client.send('/v1/models', 'GET', [], null, 60_000).response;
 */
export function createUpstreamClient(origin: string, options: { connections?: number } = {}): UpstreamClient {
  const pool = new Pool(new URL(origin).origin, { connections: options.connections ?? 256, pipelining: 1 });
  return {
    send(path, method, headers, body, headersTimeoutMs) {
      let controller: Dispatcher.DispatchController | null = null;
      let aborted: UpstreamError | null = null;
      let res: ResponseBody | null = null;
      let reject: (err: UpstreamError) => void = () => undefined;
      let resolve: (r: UpstreamResponse) => void = () => undefined;
      const response = new Promise<UpstreamResponse>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      try {
        pool.dispatch(
          { path, method, headers, body, headersTimeout: headersTimeoutMs, bodyTimeout: 0 },
          {
            onRequestStart(c) {
              controller = c;
              if (aborted) c.abort(aborted);
            },
            onResponseStart(c, status, h) {
              // 1xx informational answers are followed by the real one.
              if (status < 200) return;
              res = new ResponseBody(status, h, c);
              resolve(res);
            },
            onResponseData(_c, chunk) {
              res?.push(chunk);
            },
            onResponseEnd() {
              res?.settle('end');
            },
            onResponseError(_c, err) {
              const e = toUpstreamError(err, headersTimeoutMs);
              if (res) res.settle(e);
              else reject(e);
            },
          },
        );
      } catch (err) {
        // Invalid request options (e.g. a header undici refuses) fail this call, not the process.
        reject(new UpstreamError('unreachable', err instanceof Error ? err.message : 'invalid request'));
      }
      return {
        response,
        abort() {
          if (aborted) return;
          aborted = new UpstreamError('aborted', 'client went away');
          if (controller) controller.abort(aborted);
          reject(aborted);
        },
      };
    },
    close() {
      void pool.destroy();
    },
  };
}
