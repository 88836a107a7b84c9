import type { Endpoint } from './body.js';
import type { Enforcement } from './enforcement.js';
import type { SseEvent } from './sse.js';

/**
 * A response stage (degrade, record): sees the whole JSON body of a plain response, or each
 * SSE event of a stream, in registration order. Stages must not throw; a stage that fails
 * leaves the content as it was (see `runStages`).
 */
export interface ResponseStage {
  readonly name: string;
  /** Sees (and may change) a whole JSON response; returns true when it changed it. */
  json?(body: Record<string, unknown>, endpoint: Endpoint): boolean;
  /** Returns the events to emit in place of `ev` (usually `[ev]`, `[]` to drop it). */
  event?(ev: SseEvent, endpoint: Endpoint): SseEvent[];
  /** At the end of a stream: events to add before it closes (e.g. flushed text). */
  end?(endpoint: Endpoint): SseEvent[];
}

export interface ExchangeUsage {
  input_tokens?: number;
  output_tokens?: number;
  reasoning_tokens?: number;
  cached_tokens?: number;
}

/** How an exchange ended, for the record. */
export type ExchangeOutcome = 'ok' | 'upstream_error' | 'upstream_unreachable' | 'upstream_timeout' | 'client_disconnected' | 'refused' | 'gateway_error';

/** Per-request state shared by the stages; finished exactly once. */
export class Exchange {
  readonly startedAt = performance.now();
  readonly ts = Date.now();
  /** Stages that may change the response (degrade), in registration order. */
  readonly stages: ResponseStage[] = [];
  /** Stages that only watch what is finally served (record); they run after `stages`. */
  readonly observers: ResponseStage[] = [];
  status = 0;
  outcome: ExchangeOutcome = 'ok';
  output = '';
  usage: ExchangeUsage | undefined;
  finishReason: string | undefined;
  firstByteMs: number | undefined;
  /** Time from the request to the end of the exchange, fixed when it finishes (recording happens later). */
  durationMs: number | undefined;
  /** What was enforced, once decided (absent when the request was refused before that). */
  enforcement: Enforcement | undefined;
  readonly notes: string[] = [];
  private done = false;
  private readonly listeners: ((x: Exchange) => void)[] = [];

  constructor(private readonly outputCap = 8192) {}

  note(tag: string): void {
    if (!this.notes.includes(tag)) this.notes.push(tag);
  }

  appendOutput(text: string): void {
    if (this.output.length < this.outputCap) this.output += text.slice(0, this.outputCap - this.output.length);
  }

  onDone(fn: (x: Exchange) => void): void {
    this.listeners.push(fn);
  }

  get finished(): boolean {
    return this.done;
  }

  /** Ends the exchange; later calls are ignored so a stream error after a cancel records once. */
  finish(status: number, outcome?: ExchangeOutcome): void {
    if (this.done) return;
    this.done = true;
    this.durationMs = this.elapsedMs();
    this.status = status;
    if (outcome) this.outcome = outcome;
    for (const fn of this.listeners) {
      try {
        fn(this);
      } catch {
        // A failing listener (e.g. a sink) must not break the response already sent.
      }
    }
    this.listeners.length = 0;
  }

  pipeline(): ResponseStage[] {
    return this.observers.length === 0 ? this.stages : [...this.stages, ...this.observers];
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}
