import { createHash } from 'node:crypto';
import {
  WatermarkTally,
  rewriteOccurrences,
  scanOccurrences,
  transformAnswerText,
} from '../src/provenance/index.js';
import type { DetectionResult, Occurrence, WatermarkKey } from '../src/provenance/index.js';
import { shuffle } from './provenance-data.js';

/** Deterministic experiment keys: secret = SHA-256(label ‖ i). Never used outside the experiments. */
export function benchKey(label: string, i: number): WatermarkKey {
  return {
    id: `${label}-${i}`,
    secret: new Uint8Array(createHash('sha256').update(`provenance-bench\0${label}\0${i}`).digest()),
  };
}

export function watermark(texts: readonly string[], key: WatermarkKey): string[] {
  return texts.map((t) => transformAnswerText(t, { reasoning: 'keep', watermark: key }));
}

export function testScanned(
  scanned: readonly (readonly Occurrence[])[],
  key: WatermarkKey,
  alpha = 1e-6,
): DetectionResult {
  const tally = new WatermarkTally(key);
  for (const occ of scanned) tally.addOccurrences(occ);
  return tally.result(alpha);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fmtP(p: number): string {
  if (p === 0) return '< 1e-300';
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/** Kolmogorov–Smirnov distance of a sample from Uniform(0, 1). */
export function ksUniform(ps: readonly number[]): number {
  const s = [...ps].sort((a, b) => a - b);
  let d = 0;
  s.forEach((p, i) => {
    d = Math.max(d, (i + 1) / s.length - p, p - i / s.length);
  });
  return d;
}

export interface FprRow {
  pool: string;
  keys: number;
  batch: number;
  meanTrials: number;
  ks: number;
  rate05: number;
  rate01: number;
  rate001: number;
  rateAlpha: number;
  histogram: number[];
}

/** Clean texts, a fresh random key for each test: how often does the test fire, and are p-values uniform? */
export function fprExperiment(
  pool: string,
  scanned: readonly (readonly Occurrence[])[],
  keys: number,
  batch: number,
  rand: () => number,
): FprRow {
  const ps: number[] = [];
  let trials = 0;
  for (let k = 0; k < keys; k++) {
    const pick = shuffle(scanned, rand).slice(0, batch);
    const r = testScanned(pick, benchKey(`fpr-${pool}-${batch}`, k));
    ps.push(r.pValue);
    trials += r.trials;
  }
  const rate = (a: number): number => ps.filter((p) => p <= a).length / ps.length;
  const histogram = Array.from(
    { length: 10 },
    (_, b) => ps.filter((p) => p >= b / 10 && (p < (b + 1) / 10 || (b === 9 && p <= 1))).length,
  );
  return {
    pool,
    keys,
    batch,
    meanTrials: trials / keys,
    ks: ksUniform(ps),
    rate05: rate(0.05),
    rate01: rate(0.01),
    rate001: rate(0.001),
    rateAlpha: rate(1e-6),
    histogram,
  };
}

export interface PowerRow {
  pool: string;
  n: number;
  tests: number;
  detected: number;
  medianP: number;
  medianTrials: number;
}

/** Watermarked texts, detection against the number of samples tested. */
export function powerExperiment(
  pool: string,
  perKey: readonly { key: WatermarkKey; scanned: (readonly Occurrence[])[] }[],
  ns: readonly number[],
  draws: number,
  rand: () => number,
): PowerRow[] {
  return ns.map((n) => {
    const ps: number[] = [];
    const trials: number[] = [];
    for (const { key, scanned } of perKey) {
      for (let d = 0; d < draws; d++) {
        const r = testScanned(shuffle(scanned, rand).slice(0, n), key);
        ps.push(r.pValue);
        trials.push(r.trials);
      }
    }
    return {
      pool,
      n,
      tests: ps.length,
      detected: ps.filter((p) => p < 1e-6).length,
      medianP: median(ps),
      medianTrials: median(trials),
    };
  });
}

/** Light paraphrase by an attacker who knows the variant sets: re-draw a share of eligible positions uniformly. */
export function resubstitute(text: string, rate: number, rand: () => number): string {
  return rewriteOccurrences(text, (occ) =>
    rand() < rate ? Math.floor(rand() * occ.set.variants.length) : null,
  );
}

/** Light paraphrase that breaks contexts: drop a share of words. */
export function dropWords(text: string, rate: number, rand: () => number): string {
  return text
    .split(/(\s+)/)
    .filter((part) => /^\s*$/.test(part) || rand() >= rate)
    .join('')
    .replace(/[ \t]{2,}/g, ' ');
}

export interface QualityRow {
  pool: string;
  texts: number;
  words: number;
  eligible: number;
  changed: number;
  textsChanged: number;
}

/** How much text the watermark rewrites: positions whose variant differs from the key's choice. */
export function qualityCost(pool: string, texts: readonly string[], key: WatermarkKey): QualityRow {
  let words = 0;
  let eligible = 0;
  let changed = 0;
  let textsChanged = 0;
  for (const t of texts) {
    words += t.split(/\s+/).filter((w) => w !== '').length;
    const before = scanOccurrences(t);
    const after = scanOccurrences(transformAnswerText(t, { reasoning: 'keep', watermark: key }));
    eligible += before.length;
    let c = 0;
    before.forEach((o, i) => {
      if (after[i]?.observed !== o.observed) c++;
    });
    changed += c;
    if (c > 0) textsChanged++;
  }
  return { pool, texts: texts.length, words, eligible, changed, textsChanged };
}

export { scanOccurrences };
