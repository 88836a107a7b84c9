import { KeyedChooser } from './keyed.js';
import { defaultLexicon } from './lexicon.js';
import type { Lexicon } from './lexicon.js';
import { nullMoments, upperTail } from './stats.js';
import type { TrialGroup } from './stats.js';
import type { WatermarkKey } from './types.js';
import { LexicalWalker } from './walker.js';
import type { Occurrence } from './walker.js';

export interface DetectionResult {
  keyId: string;
  samples: number;
  /** Every eligible position seen, repeats included. */
  eligible: number;
  /** Distinct (set, context, variant) triples: the Bernoulli trials the test counts. */
  trials: number;
  hits: number;
  expectedHits: number;
  /** (hits − expected) / sd under the null. */
  z: number;
  /** One-sided: the chance of this many hits or more if the texts do not carry the watermark. */
  pValue: number;
  method: 'exact' | 'normal';
  alpha: number;
  detected: boolean;
}

/** Rewrite eligible positions with a caller's choice (for robustness experiments: an attacker who knows the sets). */
export function rewriteOccurrences(
  text: string,
  choose: (occ: Occurrence) => number | null,
  lexicon: Lexicon = defaultLexicon(),
): string {
  const walker = new LexicalWalker(lexicon, choose);
  return walker.push(text) + walker.flush();
}

/** Every eligible position of a text, with its context, in order. */
export function scanOccurrences(text: string, lexicon: Lexicon = defaultLexicon()): Occurrence[] {
  const found: Occurrence[] = [];
  const walker = new LexicalWalker(lexicon, (occ) => {
    found.push(occ);
    return null;
  });
  walker.push(text);
  walker.flush();
  return found;
}

/**
 * Accumulates evidence over many samples. A repeated (set, context, variant) triple counts once: repeats of one
 * phrase are not independent evidence, and counting them would inflate the statistic on clean text. Under the null
 * each triple hits with probability 1/|set| (the keyed choice is uniform without the key); two triples of the same
 * set and context cannot both hit, which only makes the test conservative.
 * @example
 * const tally = new WatermarkTally(key);
 * for (const t of texts) tally.add(t);
 * const r = tally.result(1e-6);
 */
export class WatermarkTally {
  private readonly chooser: KeyedChooser;
  private readonly seen = new Map<string, { hit: boolean; size: number }>();
  private samples = 0;
  private eligible = 0;

  constructor(
    private readonly key: WatermarkKey,
    private readonly lexicon: Lexicon = defaultLexicon(),
  ) {
    this.chooser = new KeyedChooser(key);
  }

  add(text: string): void {
    this.addOccurrences(scanOccurrences(text, this.lexicon));
  }

  /** Add one sample already scanned with `scanOccurrences` (scanning does not depend on the key). */
  addOccurrences(occurrences: readonly Occurrence[]): void {
    this.samples++;
    for (const occ of occurrences) {
      this.eligible++;
      const id = `${occ.set.id}\0${occ.context}\0${occ.observed}`;
      if (this.seen.has(id)) continue;
      const size = occ.set.variants.length;
      this.seen.set(id, {
        hit: this.chooser.preferred(occ.set.id, occ.context, size) === occ.observed,
        size,
      });
    }
  }

  result(alpha: number): DetectionResult {
    const bySize = new Map<number, number>();
    let hits = 0;
    for (const { hit, size } of this.seen.values()) {
      bySize.set(size, (bySize.get(size) ?? 0) + 1);
      if (hit) hits++;
    }
    const groups: TrialGroup[] = [...bySize].map(([size, n]) => ({ n, p: 1 / size }));
    const { mean, sd } = nullMoments(groups);
    const tail = upperTail(groups, hits);
    return {
      keyId: this.key.id,
      samples: this.samples,
      eligible: this.eligible,
      trials: this.seen.size,
      hits,
      expectedHits: mean,
      z: sd > 0 ? (hits - mean) / sd : 0,
      pValue: tail.pValue,
      method: tail.method,
      alpha,
      detected: tail.pValue < alpha,
    };
  }
}

/** Test whether a set of texts carries the watermark of `key`. */
export function detectWatermark(
  texts: Iterable<string>,
  key: WatermarkKey,
  alpha = 1e-6,
  lexicon?: Lexicon,
): DetectionResult {
  const tally = new WatermarkTally(key, lexicon);
  for (const t of texts) tally.add(t);
  return tally.result(alpha);
}
