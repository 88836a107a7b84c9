import { LEXICAL_DIM, mmdToBaseline } from './lexical.js';
import { CATEGORIES } from './text-signals.js';
import type { UnitState } from './unit-state.js';

const HOUR = 3_600_000;

/** Signup metadata of an account as the stage keeps it (no raw identity beyond what the record had). */
export interface AccountMeta {
  created: number;
  org: string | null;
  emailDomain: string | null;
  paymentFp: string | null;
  tier: string | null;
  verified: boolean | null;
  signupIp: string | null;
  /** Accounts signed up from the same /24 on the same day, or with the same payment fingerprint. */
  signupCluster: number;
}

/** Benign baseline the distribution-shift test compares with (from the calibration file). */
export interface LexicalBaseline {
  mean: number[];
}

/**
 * The numbers detectors read: derived on demand from a `UnitState`, never stored. All
 * shares are in [0, 1]; `null` where the state has too little data to say.
 */
export interface AccountFeatures {
  exchanges: number;
  firstTs: number;
  lastTs: number;
  spanHours: number;
  perDay: number;
  maxPerHour: number;
  maxPerMinute: number;
  outInRatio: number;
  meanOutputTokens: number;
  maxTokensHighShare: number;
  truncatedShare: number;
  reasoningTokenShare: number;
  nAbove1Share: number;
  highEffortShare: number;
  gapCv: number | null;
  hourEntropy: number;
  quietShare: number;
  concurrencyMean: number;
  maxConcurrency: number;
  samples: number;
  templateCoherence: number;
  nearDupShare: number;
  wrapperShare: number;
  distinctTemplates: number;
  distinctTextRatio: number;
  reasoningShare: number;
  verbosityShare: number;
  /** Writing systems carrying ≥ 5% of sampled prompts. */
  scriptsCovered: number;
  structuredShare: number;
  gradingShare: number;
  logprobShare: number;
  categoryShares: Record<string, number>;
  topCategory: string;
  topCategoryShare: number;
  categoriesCovered: number;
  oneShotShare: number;
  toolResultShare: number;
  toolsShare: number;
  pivotShare: number;
  pivotDelayHours: number | null;
  endUserShare: number;
  meta: AccountMeta | null;
  mmd: number | null;
  evidence: SampleEvidence;
}

/** Bounded samples for findings: event ids and redacted, truncated prompts. */
export interface SampleEvidence {
  ids: string[];
  prompts: string[];
  reasoningIds: string[];
  reasoningPrompts: string[];
  gradingIds: string[];
  gradingPrompts: string[];
}

const NO_EVIDENCE: SampleEvidence = {
  ids: [],
  prompts: [],
  reasoningIds: [],
  reasoningPrompts: [],
  gradingIds: [],
  gradingPrompts: [],
};

function countAtLeast(xs: ArrayLike<number>, min: number): number {
  let c = 0;
  for (let i = 0; i < xs.length; i++) if ((xs[i] ?? 0) >= min && (xs[i] ?? 0) > 0) c++;
  return c;
}

function entropyBits(counts: ArrayLike<number>, total: number, length = counts.length): number {
  let h = 0;
  for (let i = 0; i < length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0) h -= (c / total) * Math.log2(c / total);
  }
  return h;
}

/** Share of traffic in the quietest 8 consecutive hours of the day, ×3 (1 = no daily rhythm at all). */
function quietShare(hours: ArrayLike<number>, total: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let s = 0; s < 24; s++) {
    let sum = 0;
    for (let k = 0; k < 8; k++) sum += hours[(s + k) % 24] ?? 0;
    if (sum < min) min = sum;
  }
  return total > 0 ? Math.min(1, (3 * min) / total) : 0;
}

function textFeatureBlock(st: UnitState, baseline: LexicalBaseline | null): Partial<AccountFeatures> {
  const s = st.sample;
  if (s === null || s.w === 0) return {};
  const w = s.w;
  const shares: Record<string, number> = {};
  let top = 'chat';
  let topShare = 0;
  let covered = 0;
  CATEGORIES.forEach((c, i) => {
    const share = s.categoryWeight(i) / w;
    shares[c] = share;
    if (share > topShare) {
      topShare = share;
      top = c;
    }
    if (share >= 0.05) covered++;
  });
  const dom = s.dominantTemplate();
  const mmd =
    baseline !== null && baseline.mean.length === LEXICAL_DIM ? mmdToBaseline(s.lexSum, s.w, s.w2, baseline.mean) : null;
  return {
    samples: s.n,
    templateCoherence: dom >= 0 ? (s.templateW[dom] ?? 0) / w : 0,
    nearDupShare: s.nearDupW / w,
    // A few rotating wrappers count together: the three strongest affixes on the stronger side.
    wrapperShare: Math.max(s.prefixes.guaranteedTop(3), s.suffixes.guaranteedTop(3)) / w,
    distinctTemplates:
      s.affixW > 0 ? Math.min(s.distinctPrefixes.estimate(), s.distinctSuffixes.estimate()) : s.n,
    distinctTextRatio: Math.min(1, s.distinctTexts.estimate() / s.n),
    reasoningShare: s.reasoningW / w,
    verbosityShare: s.verbosityW / w,
    scriptsCovered: countAtLeast(s.scriptWeights(), 0.05 * w),
    structuredShare: s.structuredW / w,
    gradingShare: s.gradingW / w,
    categoryShares: shares,
    topCategory: top,
    topCategoryShare: topShare,
    categoriesCovered: covered,
    mmd,
    evidence: {
      ids: s.ids.values(),
      prompts: s.prompts.values(),
      reasoningIds: [...s.reasoningIds],
      reasoningPrompts: s.reasoningPrompt === null ? [] : [s.reasoningPrompt],
      gradingIds: [...s.gradingIds],
      gradingPrompts: s.gradingPrompt === null ? [] : [s.gradingPrompt],
    },
  };
}

export function deriveFeatures(st: UnitState, meta: AccountMeta | null, baseline: LexicalBaseline | null): AccountFeatures {
  const n = Math.max(1, st.exchanges);
  const spanHours = st.exchanges > 0 ? (st.lastTs - st.firstTs) / HOUR : 0;
  const gapCv = st.gapN >= 8 && st.gapMean > 0 ? Math.sqrt(st.gapM2 / (st.gapN - 1)) / st.gapMean : null;
  const base: AccountFeatures = {
    exchanges: st.exchanges,
    firstTs: st.firstTs,
    lastTs: st.lastTs,
    spanHours,
    perDay: st.exchanges / Math.max(1, spanHours / 24),
    maxPerHour: st.maxPerHour,
    maxPerMinute: st.maxPerMinute,
    outInRatio: st.outTokens / Math.max(1, st.inTokens),
    meanOutputTokens: st.outTokens / n,
    maxTokensHighShare: st.maxTokensHigh / n,
    truncatedShare: st.truncated / n,
    reasoningTokenShare: st.reasoningTokens / Math.max(1, st.outTokens + st.reasoningTokens),
    nAbove1Share: st.nAbove1 / n,
    highEffortShare: st.highEffort / n,
    gapCv,
    hourEntropy: entropyBits(st.hours, n, 24) / Math.log2(24),
    quietShare: quietShare(st.hours, st.exchanges),
    concurrencyMean: st.concurrencySum / n,
    maxConcurrency: st.maxConcurrency,
    samples: 0,
    templateCoherence: 0,
    nearDupShare: 0,
    wrapperShare: 0,
    distinctTemplates: 0,
    distinctTextRatio: 1,
    reasoningShare: 0,
    verbosityShare: 0,
    scriptsCovered: 0,
    structuredShare: 0,
    gradingShare: 0,
    logprobShare: st.logprobs / n,
    categoryShares: {},
    topCategory: 'chat',
    topCategoryShare: 0,
    categoriesCovered: 0,
    oneShotShare: st.oneShot / n,
    toolResultShare: st.toolResults / n,
    toolsShare: st.withTools / n,
    pivotShare: st.pivotShare(),
    pivotDelayHours: st.pivotDelayMs >= 0 ? st.pivotDelayMs / HOUR : null,
    endUserShare: st.endUserTagged / n,
    meta,
    mmd: null,
    evidence: NO_EVIDENCE,
  };
  return { ...base, ...textFeatureBlock(st, baseline) };
}
