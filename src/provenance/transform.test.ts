import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TEXTS } from './fixtures/sample-texts.js';
import { generateWatermarkKey } from './key.js';
import { createStreamingTextTransform, transformAnswerText, transformReasoningText } from './transform.js';
import type { TextTransformOptions } from './types.js';

const key = { id: 'test', secret: new Uint8Array(32).fill(7) };

const OPTION_SETS: readonly TextTransformOptions[] = [
  { reasoning: 'keep' },
  { reasoning: 'keep', watermark: key },
  { reasoning: 'keep', perturbFormat: true, watermark: key },
  { reasoning: 'summarise', maxReasoningChars: 120, watermark: key },
  { reasoning: 'keep', maxReasoningChars: 90, perturbFormat: true },
  { reasoning: 'strip' },
];

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(text.slice(last, p));
    last = p;
  }
  parts.push(text.slice(last));
  return parts;
}

function streamed(kind: 'answer' | 'reasoning', opts: TextTransformOptions, parts: string[]): string {
  const t = createStreamingTextTransform(kind, opts);
  return parts.map((p) => t.push(p)).join('') + t.flush();
}

const boxed = (s: string): string[] =>
  [...s.matchAll(/\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}/g)].map((m) => m[1] ?? '');

describe('createStreamingTextTransform', () => {
  it('gives exactly the non-streaming output for any split of the input into deltas', () => {
    const textArb = fc.oneof(
      fc.constantFrom(...SAMPLE_TEXTS),
      fc.string({
        unit: fc.constantFrom(
          'a',
          ' ',
          '\n',
          '$',
          '`',
          '\\',
          '.',
          'colour ',
          'do not ',
          'Therefore',
          '1. ',
          '**',
          '|',
          'é',
        ),
      }),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(
        textArb,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom(...OPTION_SETS),
        fc.constantFrom('answer' as const, 'reasoning' as const),
        (text, cuts, opts, kind) => {
          const whole =
            kind === 'answer' ? transformAnswerText(text, opts) : transformReasoningText(text, opts);
          expect(streamed(kind, opts, splitAt(text, cuts))).toBe(whole);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('emits output before the end of a long stream instead of buffering it all', () => {
    const t = createStreamingTextTransform('answer', {
      reasoning: 'keep',
      watermark: key,
      perturbFormat: true,
    });
    let early = '';
    for (let i = 0; i < 200; i++) early += t.push('the colour of the sky is gray. ');
    expect(early.length).toBeGreaterThan(200 * 30 - 200);
    const noSpaces = createStreamingTextTransform('answer', { reasoning: 'keep', watermark: key });
    expect(noSpaces.push('x'.repeat(5000)).length).toBeGreaterThan(5000 - 8 * 256);
  });
});

describe('transformAnswerText', () => {
  it('leaves text unchanged when no transform is asked for', () => {
    for (const t of SAMPLE_TEXTS) expect(transformAnswerText(t, { reasoning: 'keep' })).toBe(t);
  });

  it('never changes math, code spans, code fences or boxed answers', () => {
    for (const t of SAMPLE_TEXTS) {
      for (const seed of [1, 2, 3]) {
        const k = { id: 'k', secret: new Uint8Array(32).fill(seed) };
        const out = transformAnswerText(t, { reasoning: 'keep', watermark: k, perturbFormat: true });
        expect(boxed(out)).toEqual(boxed(t));
        for (const m of t.match(/\$[^$]+\$|`[^`]+`|```[\s\S]*?```/g) ?? []) expect(out).toContain(m);
      }
    }
  });

  it('preserves capitalisation and curly apostrophes when it swaps a variant', () => {
    const outs = new Set<string>();
    for (let i = 0; i < 40; i++)
      outs.add(
        transformAnswerText('We don\u2019t know. Therefore it is so.', {
          reasoning: 'keep',
          watermark: generateWatermarkKey(`k${i}`),
        }),
      );
    expect(outs).toContain('We do not know. Hence it is so.');
    expect(outs).toContain('We don\u2019t know. Therefore it is so.');
    for (const o of outs) expect(o).toMatch(/^We (don\u2019t|do not) know\. (Therefore|Hence) it is so\.$/);
  });

  it('does not rewrite capitalised words mid-sentence (likely proper nouns) or code-like tokens', () => {
    const text = 'The Color Purple is a book. Set color_mode = gray; then colour.red stays.';
    for (let i = 0; i < 20; i++) {
      expect(transformAnswerText(text, { reasoning: 'keep', watermark: generateWatermarkKey(`k${i}`) })).toBe(
        text,
      );
    }
  });

  it('stops rewriting after unfenced code until prose resumes after a paragraph break', () => {
    const code =
      'def check(a):\n    if a is not None:\n        print("does not exist")\n\nSELECT name, email FROM users;';
    const text = `${code}\n\nTherefore the colour is gray.`;
    const outs = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const out = transformAnswerText(text, { reasoning: 'keep', watermark: generateWatermarkKey(`k${i}`) });
      expect(out.startsWith(code)).toBe(true);
      outs.add(out);
    }
    expect(outs.size).toBeGreaterThan(1);
  });

  it('flattens numbered lists, step labels, headings and bold markers when perturbFormat is on', () => {
    const out = transformAnswerText(
      '# Plan\n\n1. Add the numbers\n2. **Divide** by two\nStep 3: Answer is $\\boxed{4}$.',
      { reasoning: 'keep', perturbFormat: true },
    );
    expect(out).toBe('Plan\n\nAdd the numbers; Divide by two; Answer is $\\boxed{4}$.');
  });
});

describe('transformReasoningText', () => {
  const cot =
    'First we expand the product. Then we collect terms. Next we factor.\n\nNow we check the roots. They are $2$ and $-3$. So there are $\\boxed{2}$ asymptotes.';

  it('removes reasoning entirely with strip', () => {
    expect(transformReasoningText(cot, { reasoning: 'strip', watermark: key })).toBe('');
  });

  it('keeps paragraph openers and the closing sentence with summarise', () => {
    expect(transformReasoningText(cot, { reasoning: 'summarise' })).toBe(
      'First we expand the product.\n\nNow we check the roots. So there are $\\boxed{2}$ asymptotes.',
    );
  });

  it('keeps whole sentences under maxReasoningChars', () => {
    expect(transformReasoningText(cot, { reasoning: 'keep', maxReasoningChars: 60 })).toBe(
      'First we expand the product. Then we collect terms.',
    );
    expect(
      transformReasoningText('averyveryverylongword and more words here', {
        reasoning: 'keep',
        maxReasoningChars: 25,
      }),
    ).toBe('averyveryverylongword and');
  });
});
