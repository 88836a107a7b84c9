import { fmix32 } from './hash.js';
import { BottomK } from './reservoir.js';
import { HLL_BYTES, HyperLogLog } from './hyperloglog.js';
import { LEXICAL_DIM } from './lexical.js';
import { minhashSimilarity } from './minhash.js';
import { redactPrompt } from './redact.js';
import { CATEGORIES } from './text-signals.js';
import type { TextFeatures } from './event-facts.js';
import { TopK } from './top-k.js';
import { SCRIPT_COUNT } from './tokenize.js';

/** Template clusters kept per account: the dominant templates, not a catalogue. */
export const MAX_TEMPLATES = 4;
/** MinHash similarity above which a prompt joins an existing template cluster. */
export const TEMPLATE_JOIN = 0.5;
const MAX_CUE_IDS = 3;
const CATEGORY_AT = LEXICAL_DIM;
const SCRIPT_AT = LEXICAL_DIM + CATEGORIES.length;

/**
 * Aggregates over the deterministic sample of an account's requests whose text was
 * analysed. Every share is a Horvitz–Thompson estimate: each sample carries weight 1/p,
 * p being its inclusion probability, so later (sparser) samples count as much traffic as
 * they stand for.
 */
export class SampleState {
  n = 0;
  w = 0;
  w2 = 0;
  reasoningW = 0;
  verbosityW = 0;
  structuredW = 0;
  gradingW = 0;
  chars = 0;
  /**
   * One buffer for the weighted sums: hashed lexical features [0, LEXICAL_DIM), then task
   * categories, then writing systems (fewer typed arrays: each costs ~200 bytes of headers).
   */
  readonly lexSum = new Float64Array(LEXICAL_DIM + CATEGORIES.length + SCRIPT_COUNT);
  /** Template clusters: representative signature (the first member) and weight. */
  templateSigs: Uint32Array[] = [];
  templateW: number[] = [];
  /** Weight of samples that joined an existing cluster (near-duplicate structure). */
  nearDupW = 0;
  /** Weight of samples long enough to have a wrapper (prefix/suffix shares are over this). */
  affixW = 0;
  readonly prefixes = new TopK<number>(4);
  readonly suffixes = new TopK<number>(4);
  private readonly registers = new Uint8Array(3 * HLL_BYTES);
  readonly distinctTexts = new HyperLogLog(this.registers, 0);
  readonly distinctPrefixes = new HyperLogLog(this.registers, HLL_BYTES);
  readonly distinctSuffixes = new HyperLogLog(this.registers, 2 * HLL_BYTES);
  readonly ids = new BottomK<string>(5);
  readonly prompts = new BottomK<string>(3);
  // Small arrays grow by copying to their exact size: `push` would reserve 17 slots each.
  reasoningIds: string[] = [];
  gradingIds: string[] = [];
  reasoningPrompt: string | null = null;
  gradingPrompt: string | null = null;

  add(id: string, tf: TextFeatures, weight: number): void {
    this.n++;
    this.w += weight;
    this.w2 += weight * weight;
    this.chars += tf.chars * weight;
    if (tf.reasoning) this.reasoningW += weight;
    if (tf.verbosity) this.verbosityW += weight;
    const sc = SCRIPT_AT + tf.script;
    this.lexSum[sc] = (this.lexSum[sc] ?? 0) + weight;
    if (tf.structuredReasoning) this.structuredW += weight;
    if (tf.grading) this.gradingW += weight;
    const c = CATEGORY_AT + tf.category;
    this.lexSum[c] = (this.lexSum[c] ?? 0) + weight;
    this.addTemplate(tf.templateSig, weight);
    if (tf.prefixKey !== 0) {
      this.affixW += weight;
      this.prefixes.add(tf.prefixKey, weight);
      this.suffixes.add(tf.suffixKey, weight);
      this.distinctPrefixes.add(fmix32(tf.prefixKey));
      this.distinctSuffixes.add(fmix32(tf.suffixKey));
    }
    this.distinctTexts.add(tf.textHash);
    for (let i = 0; i < LEXICAL_DIM; i++) this.lexSum[i] = (this.lexSum[i] ?? 0) + (tf.lexical[i] ?? 0) * weight;
    this.keepSamples(id, tf);
  }

  private keepSamples(id: string, tf: TextFeatures): void {
    const pr = BottomK.priority(id);
    this.ids.offer(pr, id);
    if (this.prompts.wouldKeep(pr)) this.prompts.offer(pr, redactPrompt(tf.text));
    if (tf.reasoning && this.reasoningIds.length < MAX_CUE_IDS) {
      this.reasoningIds = [...this.reasoningIds, id];
      this.reasoningPrompt ??= redactPrompt(tf.text);
    }
    if (tf.grading && this.gradingIds.length < MAX_CUE_IDS) {
      this.gradingIds = [...this.gradingIds, id];
      this.gradingPrompt ??= redactPrompt(tf.text);
    }
  }

  private addTemplate(sig: Uint32Array, weight: number): void {
    let best = -1;
    let bestSim = TEMPLATE_JOIN;
    for (let i = 0; i < this.templateSigs.length; i++) {
      const s = minhashSimilarity(sig, this.templateSigs[i] as Uint32Array);
      if (s >= bestSim) {
        best = i;
        bestSim = s;
      }
    }
    if (best >= 0) {
      this.templateW[best] = (this.templateW[best] ?? 0) + weight;
      this.nearDupW += weight;
      return;
    }
    if (this.templateSigs.length < MAX_TEMPLATES) {
      this.templateSigs = [...this.templateSigs, sig.slice()];
      this.templateW = [...this.templateW, weight];
      return;
    }
    // Full: a new structure replaces the lightest cluster only if that one is a singleton-like
    // outlier, so established templates survive a stream of one-off prompts.
    let min = 0;
    for (let i = 1; i < this.templateW.length; i++) if ((this.templateW[i] ?? 0) < (this.templateW[min] ?? 0)) min = i;
    if ((this.templateW[min] ?? 0) <= weight) {
      this.templateSigs[min] = sig.slice();
      this.templateW[min] = weight;
    }
  }

  categoryWeight(i: number): number {
    return this.lexSum[CATEGORY_AT + i] ?? 0;
  }

  scriptWeights(): number[] {
    return Array.from(this.lexSum.subarray(SCRIPT_AT, SCRIPT_AT + SCRIPT_COUNT));
  }

  /** Index of the heaviest template cluster, or -1. */
  dominantTemplate(): number {
    let best = -1;
    let bw = 0;
    for (let i = 0; i < this.templateW.length; i++) {
      if ((this.templateW[i] ?? 0) > bw) {
        bw = this.templateW[i] ?? 0;
        best = i;
      }
    }
    return best;
  }
}
