import type { DegradeRule } from '../enforcement.js';
import type { TextTransformer, TextTransformOptions } from './text.js';

/** Everything a degrade stage needs, resolved once per request. */
export interface DegradePlan {
  opts: TextTransformOptions;
  text: TextTransformer;
  dropLogprobs: boolean;
  /** Only when watermarking or perturbing: otherwise answer text is left byte-for-byte alone. */
  touchAnswer: boolean;
}

export function planDegrade(rule: DegradeRule, text: TextTransformer, watermark: { id: string; secret: Uint8Array } | undefined): DegradePlan {
  const opts: TextTransformOptions = { reasoning: rule.reasoning };
  if (rule.maxReasoningChars !== undefined) opts.maxReasoningChars = rule.maxReasoningChars;
  if (rule.perturbFormat) opts.perturbFormat = true;
  if (rule.watermark && watermark) opts.watermark = watermark;
  return { opts, text, dropLogprobs: rule.dropLogprobs, touchAnswer: opts.perturbFormat === true || opts.watermark !== undefined };
}
