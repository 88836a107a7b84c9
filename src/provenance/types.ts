import { z } from 'zod';

/** A keyed watermark secret. `id` is safe to print; `secret` never is. */
export interface WatermarkKey {
  id: string;
  secret: Uint8Array;
}

/** How the gateway degrades text served to a flagged caller. All fields are silent to the caller. */
export interface TextTransformOptions {
  /** For reasoning text: pass through, remove entirely, or reduce to an extractive summary. */
  reasoning: 'keep' | 'strip' | 'summarise';
  /** Shorten long reasoning: whole sentences are kept while they fit under this many characters. */
  maxReasoningChars?: number;
  /** Flatten numbered/bulleted step lists and markdown emphasis/headings; math and code are left alone. */
  perturbFormat?: boolean;
  /** Embed the keyed lexical watermark. */
  watermark?: WatermarkKey;
}

/** A text stage that can be fed in pieces; `flush` ends the stream. */
export interface StreamingTextTransform {
  push(delta: string): string;
  flush(): string;
}

export const MIN_SECRET_BYTES = 32;

/** The on-disk key file: `{ "id": "...", "secret": "<base64, at least 32 bytes>" }`. */
export const WatermarkKeyFile = z
  .object({
    id: z.string().min(1).max(200),
    secret: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'secret must be base64'),
  })
  .strict();
export type WatermarkKeyFile = z.infer<typeof WatermarkKeyFile>;

export const TextTransformOptionsSchema = z.object({
  reasoning: z.enum(['keep', 'strip', 'summarise']),
  maxReasoningChars: z.number().int().positive().optional(),
  perturbFormat: z.boolean().optional(),
});
