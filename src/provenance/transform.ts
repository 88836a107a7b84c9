import { KeyedChooser } from './keyed.js';
import { defaultLexicon } from './lexicon.js';
import { FormatStage } from './format.js';
import { DEFAULT_SUMMARY_CHARS, StripStage, SummariseStage, TruncateStage } from './reasoning.js';
import type { StreamingTextTransform, TextTransformOptions, WatermarkKey } from './types.js';
import { LexicalWalker } from './walker.js';

/** Rewrites every eligible position to the variant the key prefers in its context. */
export function createWatermarkStage(key: WatermarkKey): StreamingTextTransform {
  const chooser = new KeyedChooser(key);
  return new LexicalWalker(defaultLexicon(), (occ) =>
    chooser.preferred(occ.set.id, occ.context, occ.set.variants.length),
  );
}

class Pipeline implements StreamingTextTransform {
  constructor(private readonly stages: readonly StreamingTextTransform[]) {}

  push(delta: string): string {
    let text = delta;
    for (const s of this.stages) text = s.push(text);
    return text;
  }

  flush(): string {
    let text = '';
    for (const s of this.stages) text = s.push(text) + s.flush();
    return text;
  }
}

function reasoningStage(opts: TextTransformOptions): StreamingTextTransform | null {
  switch (opts.reasoning) {
    case 'strip':
      return new StripStage();
    case 'summarise':
      return new SummariseStage(opts.maxReasoningChars ?? DEFAULT_SUMMARY_CHARS);
    case 'keep':
      return opts.maxReasoningChars === undefined ? null : new TruncateStage(opts.maxReasoningChars);
  }
}

/**
 * Streaming form of the transforms. Each stage gives the same output however its input is split, so the whole
 * pipeline does too; each holds back at most a few runs or one sentence (bounded), never the whole text.
 * @example
 * const t = createStreamingTextTransform('answer', { reasoning: 'keep', watermark: key });
 * const out = deltas.map((d) => t.push(d)).join('') + t.flush();
 */
export function createStreamingTextTransform(
  kind: 'answer' | 'reasoning',
  opts: TextTransformOptions,
): StreamingTextTransform {
  const stages: StreamingTextTransform[] = [];
  if (kind === 'reasoning') {
    const r = reasoningStage(opts);
    if (r !== null) stages.push(r);
    if (opts.reasoning === 'strip') return new Pipeline(stages);
  }
  if (opts.perturbFormat === true) stages.push(new FormatStage());
  if (opts.watermark !== undefined) stages.push(createWatermarkStage(opts.watermark));
  return new Pipeline(stages);
}

/**
 * Transform final-answer text for a flagged caller: optional format flattening and watermark. Reasoning options
 * do not apply to answers.
 * @example
 * transformAnswerText('Therefore, the colour is red.', { reasoning: 'keep', watermark: key });
 */
export function transformAnswerText(text: string, opts: TextTransformOptions): string {
  const t = createStreamingTextTransform('answer', opts);
  return t.push(text) + t.flush();
}

/**
 * Transform reasoning text: strip, summarise or shorten it, then optionally flatten format and watermark it.
 * @example
 * transformReasoningText(cot, { reasoning: 'summarise', maxReasoningChars: 400 });
 */
export function transformReasoningText(text: string, opts: TextTransformOptions): string {
  const t = createStreamingTextTransform('reasoning', opts);
  return t.push(text) + t.flush();
}
