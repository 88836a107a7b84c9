import { fmix32 } from './hash.js';
import { BottomK } from './reservoir.js';
import { HyperLogLog } from './hyperloglog.js';
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
  readonly categoryW = new Float64Array(CATEGORIES.length);
  readonly scriptW = new Float32Array(SCRIPT_COUNT);
  /** Template clusters: representative signature (the first member) and weight. */
  readonly templateSigs: Uint32Array[] = [];
  readonly templateW: number[] = [];
  /** Weight of samples that joined an existing cluster (near-duplicate structure). */
  nearDupW = 0;
  /** Weight of samples long enough to have a wrapper (prefix/suffix shares are over this). */
  affixW = 0;
  readonly prefixes = new TopK<number>(4);
  readonly suffixes = new TopK<number>(4);
  readonly distinctTexts = new HyperLogLog();
  readonly distinctPrefixes = new HyperLogLog();
  readonly distinctSuffixes = new HyperLogLog();
  readonly lexSum = new Float64Array(LEXICAL_DIM);
  readonly ids = new BottomK<string>(5);
  readonly prompts = new BottomK<string>(3);
  readonly reasoningIds: string[] = [];
  readonly gradingIds: string[] = [];
  reasoningPrompt: string | null = null;
  gradingPrompt: string | null = null;

  add(id: string, tf: TextFeatures, weight: number): void {
    this.n++;
    this.w += weight;
    this.w2 += weight * weight;
    this.chars += tf.chars * weight;
    if (tf.reasoning) this.reasoningW += weight;
    if (tf.verbosity) this.verbosityW += weight;
    this.scriptW[tf.script] = (this.scriptW[tf.script] ?? 0) + weight;
    if (tf.structuredReasoning) this.structuredW += weight;
    if (tf.grading) this.gradingW += weight;
    this.categoryW[tf.category] = (this.categoryW[tf.category] ?? 0) + weight;
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
      this.reasoningIds.push(id);
      this.reasoningPrompt ??= redactPrompt(tf.text);
    }
    if (tf.grading && this.gradingIds.length < MAX_CUE_IDS) {
      this.gradingIds.push(id);
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
      this.templateSigs.push(sig.slice());
      this.templateW.push(weight);
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
