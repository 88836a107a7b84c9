import type { IncomingMessage } from 'node:http';
import type { Endpoint } from './body.js';
import type { Exchange, ResponseStage } from './exchange.js';
import { SseParser, serialiseEvent, type SseEvent } from './sse.js';

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
  abortUpstream(): void;
  release(): void;
}

/**
 * Streams an upstream SSE body to the client through the response stages, event by event.
 * Ends the exchange exactly once: on completion, on upstream failure (reported in-band as
 * an error event, the way OpenAI streams do) or when the client goes away (upstream aborted).
 * Backpressure: the upstream is paused while the client is not reading.
 */
export function streamThroughStages(upstream: IncomingMessage, x: Exchange, endpoint: Endpoint, hooks: StreamHooks): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const parser = new SseParser();
  const stages = x.pipeline();
  let held: SseEvent | null = null;
  let closed = false;
  const settle = (code: number, outcome?: Parameters<Exchange['finish']>[1]): void => {
    closed = true;
    hooks.release();
    x.finish(code, outcome);
  };
  return new ReadableStream<Uint8Array>({
    start(ctrl) {
      upstream.on('data', (chunk: Buffer) => {
        if (closed) return;
        x.firstByteMs ??= x.elapsedMs();
        let events = applyStages(parser.push(decoder.decode(chunk, { stream: true })), stages, endpoint);
        // "[DONE]" is held back so text flushed by a stage at the end still comes before it.
        if (held) events = [held, ...events];
        held = null;
        const last = events[events.length - 1];
        if (last?.data === '[DONE]') {
          held = last;
          events = events.slice(0, -1);
        }
        if (events.length > 0) ctrl.enqueue(encoder.encode(events.map(serialiseEvent).join('')));
        if ((ctrl.desiredSize ?? 1) <= 0) upstream.pause();
      });
      upstream.once('end', () => {
        if (closed) return;
        let events = [...(held ? [held] : []), ...applyStages(parser.end(), stages, endpoint)];
        events = moveDoneLast([...events, ...endStages(stages, endpoint)]);
        if (events.length > 0) ctrl.enqueue(encoder.encode(events.map(serialiseEvent).join('')));
        ctrl.close();
        settle(200);
      });
      const broken = (err?: unknown): void => {
        if (closed) return;
        if (hooks.isClientGone()) {
          settle(499, 'client_disconnected');
          return;
        }
        // Tell the client in-band, the way OpenAI streams report errors, so SDKs raise it.
        ctrl.enqueue(encoder.encode(serialiseEvent(streamErrorEvent(endpoint, err))));
        ctrl.close();
        settle(502, 'upstream_error');
      };
      upstream.once('error', broken);
      upstream.once('aborted', () => broken(new Error('upstream closed the connection')));
      upstream.once('close', () => {
        if (!upstream.complete) broken(new Error('upstream closed the connection'));
      });
    },
    pull() {
      if (upstream.isPaused()) upstream.resume();
    },
    cancel() {
      if (closed) return;
      hooks.abortUpstream();
      settle(499, 'client_disconnected');
    },
  });
}
