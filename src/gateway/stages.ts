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
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : 'connection lost';
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
 * Ends the exchange exactly once: on completion, on upstream failure (the client's stream
 * is errored so it sees the failure) or when the client goes away (upstream is aborted).
 */
export function streamThroughStages(upstream: ReadableStream<Uint8Array>, x: Exchange, endpoint: Endpoint, hooks: StreamHooks): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const parser = new SseParser();
  const status = 200;
  let held: SseEvent | null = null;
  const stages = x.pipeline();
  const settle = (code: number, outcome?: Parameters<Exchange['finish']>[1]): void => {
    hooks.release();
    x.finish(code, outcome);
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          if (hooks.isClientGone()) settle(499, 'client_disconnected');
          else {
            // Tell the client in-band, the way OpenAI streams report errors, so SDKs raise it.
            ctrl.enqueue(encoder.encode(serialiseEvent(streamErrorEvent(endpoint, err))));
            ctrl.close();
            settle(502, 'upstream_error');
          }
          return;
        }
        if (chunk.done) {
          let events = [...(held ? [held] : []), ...applyStages(parser.end(), stages, endpoint)];
          events = moveDoneLast([...events, ...endStages(stages, endpoint)]);
          if (events.length > 0) ctrl.enqueue(encoder.encode(events.map(serialiseEvent).join('')));
          ctrl.close();
          settle(status);
          return;
        }
        x.firstByteMs ??= x.elapsedMs();
        let events = applyStages(parser.push(decoder.decode(chunk.value, { stream: true })), stages, endpoint);
        // "[DONE]" is held back so text flushed by a stage at the end still comes before it.
        if (held) events = [held, ...events];
        held = null;
        const last = events[events.length - 1];
        if (last?.data === '[DONE]') {
          held = last;
          events = events.slice(0, -1);
        }
        if (events.length > 0) {
          ctrl.enqueue(encoder.encode(events.map(serialiseEvent).join('')));
          return;
        }
      }
    },
    cancel() {
      hooks.abortUpstream();
      reader.cancel().catch(() => undefined);
      settle(499, 'client_disconnected');
    },
  });
}
