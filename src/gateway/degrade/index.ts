import { shapeRequest, type RequestBody } from '../body.js';
import type { Enforcement } from '../enforcement.js';
import type { Exchange } from '../exchange.js';
import { chatDegradeStage } from './chat.js';
import { planDegrade } from './plan.js';
import { responsesDegradeStage } from './responses.js';
import { basicTextTransformer, type TextTransformer } from './text.js';

export interface DegradeOptions {
  /** Text-level transformation (reasoning summaries, watermark); defaults to the built-in one. */
  transformer?: TextTransformer;
  /** Watermark key; decisions asking for a watermark are honoured only when one is configured. */
  watermarkKey?: { id: string; secret: Uint8Array };
}

/**
 * Applies degrade decisions: request-side (cap max tokens, drop logprob requests) before
 * the proxy, response-side (reasoning, logprobs, answer text) as a response stage on the
 * exchange, streaming included.
 * @example
 * const degrade = createDegrader({ transformer: provenanceTransformer });
 * degrade(enforcement, body, exchange);
 */
export function createDegrader(options: DegradeOptions = {}): (e: Enforcement, body: RequestBody, x: Exchange) => void {
  const text = options.transformer ?? basicTextTransformer;
  return function degradeExchange(e, body, x) {
    const rule = e.degrade;
    if (!rule) return;
    shapeRequest(body, { maxTokens: rule.maxTokens, dropLogprobs: rule.dropLogprobs });
    const plan = planDegrade(rule, text, options.watermarkKey);
    x.stages.push(body.endpoint === 'chat' ? chatDegradeStage(plan) : responsesDegradeStage(plan));
    x.note('degraded');
  };
}

export { basicTextTransformer };
export type { TextTransformer, TextTransformOptions, StreamingTextTransform } from './text.js';
