import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectWatermark, rewriteOccurrences, scanOccurrences } from './detect.js';
import { SAMPLE_TEXTS } from './fixtures/sample-texts.js';
import { buildLexicon, defaultLexicon } from './lexicon.js';
import { transformAnswerText } from './transform.js';

const keyOf = (n: number) => ({
  id: `k${n}`,
  secret: new Uint8Array(32).map((_, i) => (i * 31 + n * 7) & 255),
});

// Variety so contexts differ between samples: the detector counts each (set, context, variant) once.
const CORPUS = Array.from({ length: 60 }, (_, i) => {
  const base = SAMPLE_TEXTS[i % SAMPLE_TEXTS.length] ?? '';
  return `${['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'][i % 5]} ${i} said the colour was gray; we don't analyze it. ${base} Perhaps everyone traveled toward the center ${i} often.`;
});

describe('detectWatermark', () => {
  it('detects watermarked samples with a tiny p-value and every trial a hit', () => {
    const key = keyOf(1);
    const marked = CORPUS.map((t) => transformAnswerText(t, { reasoning: 'keep', watermark: key }));
    const r = detectWatermark(marked, key);
    expect(r.detected).toBe(true);
    expect(r.hits).toBe(r.trials);
    expect(r.pValue).toBeLessThan(1e-12);
  });

  it('does not fire on the same samples under a different key, nor on clean text', () => {
    const marked = CORPUS.map((t) => transformAnswerText(t, { reasoning: 'keep', watermark: keyOf(1) }));
    for (let k = 2; k < 12; k++) {
      expect(detectWatermark(marked, keyOf(k), 1e-6).detected).toBe(false);
      expect(detectWatermark(CORPUS, keyOf(k), 1e-6).detected).toBe(false);
    }
  });

  it('sees the same positions and contexts before and after embedding', () => {
    for (const t of SAMPLE_TEXTS) {
      const before = scanOccurrences(t).map((o) => `${o.set.id}|${o.context}`);
      const after = scanOccurrences(transformAnswerText(t, { reasoning: 'keep', watermark: keyOf(3) })).map(
        (o) => `${o.set.id}|${o.context}`,
      );
      expect(after).toEqual(before);
    }
  });

  it('finds the same positions and contexts after embedding, all of them hits, for arbitrary texts', () => {
    const unit = fc.constantFrom(
      'colour ',
      'Color ',
      'do not ',
      "Don't ",
      'is ',
      'not ',
      'for example, ',
      'Therefore ',
      'hence. ',
      'the ',
      'x = 1 ',
      '$a$ ',
      '`b` ',
      '\n\n',
      '\n    ',
      'if(a) ',
      'SELECT ',
      "'gray' ",
      'kind of ',
      'sort ',
      'of ',
      'no one ',
      'nobody. ',
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (units, k) => {
        const text = units.join('');
        const key = keyOf(k);
        const marked = transformAnswerText(text, { reasoning: 'keep', watermark: key });
        const sig = (t: string) => scanOccurrences(t).map((o) => `${o.set.id}|${o.context}`);
        expect(sig(marked)).toEqual(sig(text));
        const r = detectWatermark([marked], key);
        expect(r.hits).toBe(r.trials);
      }),
      { numRuns: 300 },
    );
  });

  it('loses evidence when an attacker re-draws every position at random', () => {
    const key = keyOf(4);
    const marked = CORPUS.map((t) => transformAnswerText(t, { reasoning: 'keep', watermark: key }));
    let seed = 1;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const scrubbed = marked.map((t) =>
      rewriteOccurrences(t, (o) => Math.floor(rand() * o.set.variants.length)),
    );
    const r = detectWatermark(scrubbed, key);
    expect(r.detected).toBe(false);
    expect(r.hits).toBeLessThan(r.trials);
  });
});

describe('lexicon', () => {
  it('has hundreds of sets, each variant in exactly one set', () => {
    const lex = defaultLexicon();
    expect(lex.sets.length).toBeGreaterThan(500);
    const all = lex.sets.flatMap((s) => s.variants);
    expect(new Set(all).size).toBe(all.length);
  });

  it('rejects a table where a variant belongs to two sets', () => {
    expect(() =>
      buildLexicon({
        version: 1,
        sets: [
          ['color', 'colour'],
          ['colour', 'hue'],
        ],
      }),
    ).toThrow(/more than one set/);
  });
});
