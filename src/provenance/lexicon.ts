import { z } from 'zod';
import data from './lexicon-data.json' with { type: 'json' };

/** One set of interchangeable variants; `id` is the first variant, stable under reordering of the table. */
export interface VariantSet {
  id: string;
  variants: readonly string[];
}

/** A variant split into lower-case words (apostrophes normalised to `'`). */
export interface PhraseEntry {
  set: VariantSet;
  index: number;
  words: readonly string[];
}

export interface Lexicon {
  sets: readonly VariantSet[];
  /** Entries by their first word, longest phrase first. */
  byFirstWord: ReadonlyMap<string, readonly PhraseEntry[]>;
  /** Single-word variants, for canonical context. */
  setOfWord: ReadonlyMap<string, VariantSet>;
  maxWords: number;
}

const LexiconFile = z.object({
  version: z.literal(1),
  sets: z.array(z.array(z.string().regex(/^[a-z]+(?:['-][a-z]+)*(?: [a-z]+(?:['-][a-z]+)*)*$/)).min(2)),
});

export function normaliseWord(w: string): string {
  const lower = w.toLowerCase();
  return lower.includes('\u2019') ? lower.replace(/\u2019/g, "'") : lower;
}

/** Build the lookup structures; throws if a variant belongs to two sets (detection would be ambiguous). */
export function buildLexicon(raw: unknown): Lexicon {
  const parsed = LexiconFile.parse(raw);
  const sets: VariantSet[] = parsed.sets.map((variants) => ({ id: variants[0] ?? '', variants }));
  const byFirst = new Map<string, PhraseEntry[]>();
  const setOfWord = new Map<string, VariantSet>();
  const seen = new Set<string>();
  let maxWords = 1;
  for (const set of sets) {
    set.variants.forEach((variant, index) => {
      if (seen.has(variant)) throw new Error(`lexicon: variant "${variant}" appears in more than one set`);
      seen.add(variant);
      const words = variant.split(' ');
      maxWords = Math.max(maxWords, words.length);
      const first = words[0] ?? '';
      const list = byFirst.get(first) ?? [];
      list.push({ set, index, words });
      byFirst.set(first, list);
      if (words.length === 1) setOfWord.set(variant, set);
    });
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { sets, byFirstWord: byFirst, setOfWord, maxWords };
}

let cached: Lexicon | undefined;

/** The built-in table (`lexicon-data.json`). */
export function defaultLexicon(): Lexicon {
  cached ??= buildLexicon(data);
  return cached;
}
