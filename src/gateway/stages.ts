import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Endpoint } from './body.js';
import type { Exchange, ResponseStage } from './exchange.js';
import { afterResponse } from './deferred-queue.js';
import { SseParser, serialiseEvent, type SseEvent } from './sse.js';
import type { UpstreamResponse } from './upstream.js';

/**
 * Runs the JSON stages over a whole response body. Returns the text to send: the original
 * when no stage changed anything, so the common case costs one parse and no re-serialisation.
 */
export function runJsonStages(text: string, stages: readonly ResponseStage[], endpoint: Endpoint): string {
  if (stages.length === 0) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return text;
  let changed = false;
  for (const s of stages) if (s.json?.(json as Record<string, unknown>, endpoint) === true) changed = true;
  return changed ? JSON.stringify(json) : text;
}

function applyStages(events: SseEvent[], stages: readonly ResponseStage[], endpoint: Endpoint): SseEvent[] {
  let current = events;
  for (const s of stages) {
    if (!s.event) continue;
    const next: SseEvent[] = [];
    for (const ev of current) for (const out of s.event(ev, endpoint)) next.push(out);
    current = next;
  }
  return current;
}

function endStages(stages: readonly ResponseStage[], endpoint: Endpoint): SseEvent[] {
  // Events added at the end by one stage still pass through the stages after it (record sees flushed text).
  let tail: SseEvent[] = [];
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i];
    if (!s) continue;
    if (s.event && tail.length > 0) {
      const next: SseEvent[] = [];
      for (const ev of tail) for (const out of s.event(ev, endpoint)) next.push(out);
      tail = next;
    }
    if (s.end) tail = [...tail, ...s.end(endpoint)];
  }
  return tail;
}

function moveDoneLast(events: SseEvent[]): SseEvent[] {
  const i = events.findIndex((e) => e.data === '[DONE]');
  if (i < 0 || i === events.length - 1) return events;
  const done = events[i] as SseEvent;
  return [...events.slice(0, i), ...events.slice(i + 1), done];
}

function streamErrorEvent(endpoint: Endpoint, err: unknown): SseEvent {
  const cause = err instanceof Error ? err.message : 'connection lost';
  const message = `The upstream stream was interrupted (${cause}).`;
  const json =
    endpoint === 'chat'
      ? { error: { message, type: 'server_error', param: null, code: 'upstream_stream_interrupted' } }
      : { type: 'error', code: 'upstream_stream_interrupted', message, param: null };
  return { event: endpoint === 'chat' ? undefined : 'error', data: JSON.stringify(json), json };
}

export interface StreamHooks {
  isClientGone(): boolean;
  /** Called once when the stream is over, whichever way it ended. */
  release(): void;
}

/**
 * Feeds what was sent, unchanged, to the watching stages (record) after the current I/O
 * callback, so parsing for the record never holds a chunk back from the client.
 */
class DeferredObserver {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parser = new SseParser();
  private chunks: Buffer[] = [];
  private scheduled = false;
  private then: (() => void) | null = null;

  constructor(
    private readonly stages: readonly ResponseStage[],
    private readonly endpoint: Endpoint,
  ) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.schedule();
  }

  /** Observes what is left, then calls `then` (which ends the exchange). */
  close(then: () => void): void {
    this.then = then;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    afterResponse(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    const chunks = this.chunks;
    this.chunks = [];
    const then = this.then;
    this.then = null;
    try {
      let text = '';
      for (const c of chunks) text += this.decoder.write(c);
      applyStages(this.parser.push(text), this.stages, this.endpoint);
      if (!then) return;
      applyStages(this.parser.push(this.decoder.end()), this.stages, this.endpoint);
      applyStages(this.parser.end(), this.stages, this.endpoint);
      endStages(this.stages, this.endpoint);
    } finally {
      // The exchange ends (and is recorded) even if observing failed.
      then?.();
    }
  }
}

/**
 * Streams an upstream SSE body to the client through the response stages, event by event.
 * Ends the exchange exactly once: on completion, on upstream failure (reported in-band as
 * an error event, the way OpenAI streams do) or when the client goes away (upstream aborted).
 * Backpressure: the upstream is paused while the client is not reading.
 *
 * With no stage that changes content (no degradation), the upstream's bytes are relayed as
 * they arrive and the record stage reads a copy afterwards: nothing is parsed or
 * re-serialised before a chunk reaches the client.
 */
export function relayStream(upstream: UpstreamResponse, res: ServerResponse, x: Exchange, endpoint: Endpoint, hooks: StreamHooks, headers: string[]): void {
  const passthrough = x.stages.length === 0;
  const observer = passthrough ? new DeferredObserver(x.observers, endpoint) : null;
  const decoder = new StringDecoder('utf8');
  const parser = new SseParser();
  const stages = x.pipeline();
  let held: SseEvent | null = null;
  let closed = false;
  let wrote = false;
  const settle = (code: number, outcome?: Parameters<Exchange['finish']>[1]): void => {
    closed = true;
    hooks.release();
    if (observer) observer.close(() => x.finish(code, outcome));
    else x.finish(code, outcome);
  };
  const send = (data: Buffer | string): void => {
    wrote = true;
    if (!res.write(data)) upstream.pause();
  };
  res.on('drain', () => {
    if (!closed) upstream.resume();
  });
  res.writeHead(upstream.status, headers);
  // Headers go out with the first event when it is already here (one write), else on their
  // own straight after, as they came from the upstream: a slow first token does not hold them.
  setImmediate(() => {
    if (!wrote && !res.writableEnded && !res.destroyed) res.flushHeaders();
  });
  upstream.read({
    data(chunk) {
      if (closed) return;
      x.firstByteMs ??= x.elapsedMs();
      if (observer) {
        send(chunk);
        observer.push(chunk);
        return;
      }
      let events = applyStages(parser.push(decoder.write(chunk)), stages, endpoint);
      // "[DONE]" is held back so text flushed by a stage at the end still comes before it.
      if (held) events = [held, ...events];
      held = null;
      const last = events[events.length - 1];
      if (last?.data === '[DONE]') {
        held = last;
        events = events.slice(0, -1);
      }
      if (events.length > 0) send(events.map(serialiseEvent).join(''));
    },
    end() {
      if (closed) return;
      if (observer) {
        res.end();
      } else {
        let events = [...(held ? [held] : []), ...applyStages([...parser.push(decoder.end()), ...parser.end()], stages, endpoint)];
        events = moveDoneLast([...events, ...endStages(stages, endpoint)]);
        res.end(events.length > 0 ? events.map(serialiseEvent).join('') : undefined);
      }
      settle(200);
    },
    error(err) {
      if (closed) return;
      if (hooks.isClientGone() || err.reason === 'aborted') {
        settle(499, 'client_disconnected');
        return;
      }
      // Tell the client in-band, the way OpenAI streams report errors, so SDKs raise it.
      res.end(serialiseEvent(streamErrorEvent(endpoint, err)));
      settle(502, 'upstream_error');
    },
  });
}
