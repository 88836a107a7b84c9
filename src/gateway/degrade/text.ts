/** Text-level degradation, injected so the gateway does not depend on one implementation. */
export interface TextTransformOptions {
  reasoning: 'keep' | 'strip' | 'summarise';
  maxReasoningChars?: number;
  perturbFormat?: boolean;
  watermark?: { id: string; secret: Uint8Array };
}

export interface StreamingTextTransform {
  push(delta: string): string;
  flush(): string;
}

export interface TextTransformer {
  createStreamingTextTransform(kind: 'answer' | 'reasoning', opts: TextTransformOptions): StreamingTextTransform;
  transformAnswerText(text: string, opts: TextTransformOptions): string;
  transformReasoningText(text: string, opts: TextTransformOptions): string;
}

const DEFAULT_SUMMARY_CHARS = 280;
const ELLIPSIS = ' […]';

/**
 * The built-in transformer: strips reasoning, or "summarises" it by keeping its opening
 * (bounded by `maxReasoningChars`); answers pass unchanged. The provenance module supplies
 * a richer one (real summaries, format perturbation, watermarks) through the same interface.
 */
export const basicTextTransformer: TextTransformer = {
  createStreamingTextTransform(kind, opts) {
    if (kind === 'answer' || opts.reasoning === 'keep') return { push: (d) => d, flush: () => '' };
    if (opts.reasoning === 'strip') return { push: () => '', flush: () => '' };
    const limit = opts.maxReasoningChars ?? DEFAULT_SUMMARY_CHARS;
    let emitted = 0;
    let truncated = false;
    return {
      push(delta) {
        if (emitted >= limit) {
          truncated ||= delta.length > 0;
          return '';
        }
        const out = delta.slice(0, limit - emitted);
        emitted += out.length;
        truncated ||= out.length < delta.length;
        return out;
      },
      flush: () => (truncated ? ELLIPSIS : ''),
    };
  },
  transformAnswerText: (text) => text,
  transformReasoningText(text, opts) {
    if (opts.reasoning === 'keep') return text;
    if (opts.reasoning === 'strip') return '';
    const limit = opts.maxReasoningChars ?? DEFAULT_SUMMARY_CHARS;
    return text.length > limit ? text.slice(0, limit) + ELLIPSIS : text;
  },
};
