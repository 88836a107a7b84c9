import { randomUUID } from 'node:crypto';
import type { TrafficEventInput } from '../domain/index.js';
import type { EventSink } from '../ports/index.js';
import type { Endpoint, RequestBody } from './body.js';
import type { Caller } from './context.js';
import { createDeferredQueue, type DeferredQueueStats } from './deferred-queue.js';
import type { Enforcement } from './enforcement.js';
import { Exchange, type ExchangeUsage, type ResponseStage } from './exchange.js';
import { eventJson, type SseEvent } from './sse.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

function usageOf(u: Json | undefined): ExchangeUsage | undefined {
  if (!u) return undefined;
  // Only the counts present are set (no `delete`, which would turn the object into a slow dictionary).
  const out: ExchangeUsage = {};
  const input = int(u['input_tokens'] ?? u['prompt_tokens']);
  const output = int(u['output_tokens'] ?? u['completion_tokens']);
  const reasoning = int(obj(u['output_tokens_details'] ?? u['completion_tokens_details'])?.['reasoning_tokens']);
  const cached = int(obj(u['input_tokens_details'] ?? u['prompt_tokens_details'])?.['cached_tokens']);
  if (input !== undefined) out.input_tokens = input;
  if (output !== undefined) out.output_tokens = output;
  if (reasoning !== undefined) out.reasoning_tokens = reasoning;
  if (cached !== undefined) out.cached_tokens = cached;
  return out;
}

function responsesOutputText(response: Json, x: Exchange): void {
  const output = response['output'];
  if (!Array.isArray(output)) return;
  for (const item of output) {
    const content = obj(item)?.['content'];
    if (obj(item)?.['type'] !== 'message' || !Array.isArray(content)) continue;
    for (const part of content) {
      const p = obj(part);
      if (p?.['type'] === 'output_text' && typeof p['text'] === 'string') x.appendOutput(p['text']);
    }
  }
}

/** Observes what was served (after degradation) to fill the exchange's output, usage and finish reason. */
export function recordStage(x: Exchange): ResponseStage {
  return {
    name: 'record',
    json(body: Json, endpoint: Endpoint) {
      x.usage = usageOf(obj(body['usage']));
      if (endpoint === 'chat') {
        const choice = obj(Array.isArray(body['choices']) ? (body['choices'] as unknown[])[0] : undefined);
        const content = obj(choice?.['message'])?.['content'];
        if (typeof content === 'string') x.appendOutput(content);
        if (typeof choice?.['finish_reason'] === 'string') x.finishReason = choice['finish_reason'];
      } else {
        responsesOutputText(body, x);
        const incomplete = obj(body['incomplete_details'])?.['reason'];
        x.finishReason = typeof incomplete === 'string' ? incomplete : typeof body['status'] === 'string' ? body['status'] : undefined;
      }
      return false;
    },
    event(ev: SseEvent, endpoint: Endpoint) {
      const j = eventJson(ev);
      if (!j) return [ev];
      if (endpoint === 'chat') {
        if (j['usage']) x.usage = usageOf(obj(j['usage']));
        const choices = j['choices'];
        const choice = obj(Array.isArray(choices) ? (choices as unknown[])[0] : undefined);
        const content = obj(choice?.['delta'])?.['content'];
        if (typeof content === 'string') x.appendOutput(content);
        if (typeof choice?.['finish_reason'] === 'string') x.finishReason = choice['finish_reason'];
      } else if (j['type'] === 'response.output_text.delta' && typeof j['delta'] === 'string') {
        x.appendOutput(j['delta']);
      } else if (j['type'] === 'response.completed' || j['type'] === 'response.incomplete' || j['type'] === 'response.failed') {
        const r = obj(j['response']);
        x.usage = usageOf(obj(r?.['usage']));
        x.finishReason = typeof r?.['status'] === 'string' ? r['status'] : undefined;
      }
      return [ev];
    },
  };
}

const PARAM_KEYS = ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'n', 'logprobs', 'top_logprobs', 'stream'] as const;

function paramsOf(json: Json): Json {
  const p: Json = {};
  for (const k of PARAM_KEYS) if (json[k] !== undefined && json[k] !== null) p[k === 'max_completion_tokens' || k === 'max_output_tokens' ? 'max_tokens' : k] = json[k];
  const effort = json['reasoning_effort'] ?? obj(json['reasoning'])?.['effort'];
  if (typeof effort === 'string') p['reasoning_effort'] = effort;
  const include = json['include'];
  if (Array.isArray(include) && include.some((i) => typeof i === 'string' && i.includes('logprobs'))) p['logprobs'] = true;
  return p;
}

function messagesOf(body: RequestBody): Pick<TrafficEventInput, 'messages' | 'prompt'> {
  const j = body.json;
  if (body.endpoint === 'chat') return { messages: j['messages'] as TrafficEventInput['messages'] };
  const input = j['input'];
  const instructions = typeof j['instructions'] === 'string' ? [{ role: 'system', content: j['instructions'] }] : [];
  if (typeof input === 'string') return instructions.length ? { messages: [...instructions, { role: 'user', content: input }] } : { prompt: input };
  const msgs = (Array.isArray(input) ? input : []).map(obj).filter((m): m is Json => typeof m?.['role'] === 'string' && (typeof m['content'] === 'string' || Array.isArray(m['content'])));
  return { messages: [...instructions, ...msgs] as TrafficEventInput['messages'] };
}

/** Builds the TrafficEvent for a finished exchange: what ingest and `stillwatch scan` read. */
export function buildTrafficEvent(x: Exchange, caller: Caller, body: RequestBody, params: Json, path: string, e: Enforcement | undefined): TrafficEventInput {
  const ev: TrafficEventInput & Json = {
    id: `gw_${randomUUID()}`,
    ts: x.ts,
    account: caller.account,
    model: body.model,
    ...messagesOf(body),
    key: caller.keyId,
    endpoint: path,
    params,
    status: x.status,
    latency_ms: Math.round((x.durationMs ?? x.elapsedMs()) * 1000) / 1000,
    gateway: {
      outcome: x.outcome,
      action: e?.action ?? 'allow',
      decisions: e?.decisions.map((d) => d.id) ?? [],
      ...(e?.allowlisted ? { allowlisted: e.allowlisted } : {}),
      ...(x.firstByteMs !== undefined ? { ttfb_ms: Math.round(x.firstByteMs * 1000) / 1000 } : {}),
      ...(x.notes.length > 0 ? { notes: x.notes } : {}),
    },
  };
  if (caller.org) ev.org = caller.org;
  if (caller.endUser) ev.end_user = caller.endUser;
  if (caller.ip) ev.ip = caller.ip;
  if (caller.asn) ev.asn = caller.asn;
  if (caller.tlsFp) ev.tls_fp = caller.tlsFp;
  if (caller.userAgent) ev.user_agent = caller.userAgent;
  if (x.usage) ev.usage = { ...x.usage };
  if (x.output) ev.output = x.output;
  if (x.finishReason) ev.finish_reason = x.finishReason;
  if (ev.messages === undefined && ev.prompt === undefined) ev.prompt = '';
  return ev;
}

export interface RecordOptions {
  sink: EventSink;
  /** Characters of output kept per event (default 8192). */
  outputCap?: number;
  /** Finished exchanges waiting to be turned into events before new ones are dropped (default 10,000). */
  maxQueued?: number;
  onError?: (err: Error) => void;
}

export interface Recorder {
  /** Opens the exchange of one Chat Completions / Responses request; it is recorded when it finishes. */
  open(caller: Caller, body: RequestBody, path: string): Exchange;
  /** Exchanges finished so far, recorded, and dropped because recording fell behind. */
  stats(): DeferredQueueStats;
}

interface Finished {
  x: Exchange;
  caller: Caller;
  body: RequestBody;
  params: Json;
  path: string;
}

/**
 * Records every exchange when it ends (streams included, disconnects included) through the
 * sink. Building and serialising the event happens after the response has been written,
 * off the request's path; the queue in between is bounded and counts what it drops.
 * @example
 * const recorder = createRecorder({ sink: createNdjsonFileSink('out/gateway-events.ndjson') });
 * const x = recorder.open(caller, body, '/v1/chat/completions');
 */
export function createRecorder(options: RecordOptions): Recorder {
  const queue = createDeferredQueue(
    (f: Finished) => options.sink.record(buildTrafficEvent(f.x, f.caller, f.body, f.params, f.path, f.x.enforcement)),
    { max: options.maxQueued, onError: (err) => options.onError?.(err instanceof Error ? err : new Error(String(err))) },
  );
  let droppedSeen = 0;
  return {
    open(caller, body, path) {
      const x = new Exchange(options.outputCap);
      // Params as the client sent them, taken before a degrade stage caps them.
      const params = paramsOf(body.json);
      x.onDone((done) => {
        if (queue.push({ x: done, caller, body, params, path })) return;
        // Said on the first drop and every thousandth after, so a backlog cannot flood the log.
        const dropped = ++droppedSeen;
        if (dropped === 1 || dropped % 1000 === 0) options.onError?.(new Error(`event recording fell behind: ${dropped} exchange(s) not recorded`));
      });
      x.observers.push(recordStage(x));
      return x;
    },
    stats: () => queue.stats(),
  };
}
