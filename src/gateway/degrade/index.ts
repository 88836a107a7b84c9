import type { MiddlewareHandler } from 'hono';
import { shapeRequest } from '../body.js';
import type { GatewayEnv } from '../context.js';
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
 * the proxy, response-side (reasoning, logprobs, answer text) inline, streaming included.
 * @example
 * app.use('*', degrade({ transformer: provenanceTransformer }));
 */
export function degrade(options: DegradeOptions = {}): MiddlewareHandler<GatewayEnv> {
  const text = options.transformer ?? basicTextTransformer;
  return async function degradeExchange(c, next) {
    const rule = c.get('enforcement').degrade;
    const body = c.get('body');
    const x = c.get('exchange');
    if (rule && body && x) {
      shapeRequest(body, { maxTokens: rule.maxTokens, dropLogprobs: rule.dropLogprobs });
      const plan = planDegrade(rule, text, options.watermarkKey);
      x.stages.push(body.endpoint === 'chat' ? chatDegradeStage(plan) : responsesDegradeStage(plan));
      x.note('degraded');
    }
    await next();
  };
}

export { basicTextTransformer };
export type { TextTransformer, TextTransformOptions, StreamingTextTransform } from './text.js';
