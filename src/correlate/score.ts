import type { AccountSketch } from '../domain/index.js';

export interface ScoreParams {
  /** Per-account signals that measure capability elicitation (reasoning traces, grader prompts, logprobs). */
  elicitationSignals: readonly string[];
  templateSignal: string;
  pivotSignal: string;
  /** Output tokens per input token: harvesting asks short questions for long (reasoning) answers. */
  outputRatioSignal: string;
  /** Pooled output/input ratio where the ramp starts and where it is full (benign personas stay below the start). */
  outputRatioRamp: readonly [number, number];
  /** Exchanges at which pooled evidence counts half (confidence = x / (x + this)). */
  pooledHalfExchanges: number;
  /** Members created within this distance of two other members count as a signup burst. */
  burstWindowMs: number;
}

/** Campaign-level measurements, each in [0, 1] unless named otherwise; all go to `signals`. */
export interface CampaignSignals {
  size: number;
  exchanges: number;
  mean_account_score: number;
  elicitation: number;
  output_ratio: number;
  own_flagged_share: number;
  pooled_behaviour: number;
  template_signal: number;
  release_pivot: number;
  behaviour: number;
  payment_share: number;
  signup_burst: number;
  infra_concentration: number;
  template_share: number;
  sync: number;
  coordination: number;
  established: number;
  size_factor: number;
  score: number;
}

const HOUR = 3_600_000;

/** Exchange-weighted mean of a signal over members (light members count less, not nothing). */
function weightedMean(members: readonly AccountSketch[], name: string): number {
  let num = 0;
  let den = 0;
  for (const m of members) {
    const v = m.signals[name];
    if (v === undefined || !Number.isFinite(v)) continue;
    const w = m.exchanges;
    if (w <= 0) continue;
    num += w * v;
    den += w;
  }
  return den === 0 ? 0 : clamp01(num / den);
}

/** Share of members holding the most common value of a list-valued attribute. */
function modalShare(members: readonly AccountSketch[], values: (m: AccountSketch) => readonly string[]): number {
  const counts = new Map<string, number>();
  for (const m of members) for (const v of new Set(values(m))) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = 0;
  for (const c of counts.values()) best = Math.max(best, c);
  return members.length === 0 ? 0 : best / members.length;
}

/**
 * Share of members created within `windowMs` of at least two other members: accounts made
 * in a burst. Sorted signup times and a sliding window, so linear after the sort.
 */
function signupBurst(members: readonly AccountSketch[], windowMs: number): number {
  const created = members.map((m) => m.signup.created).filter((c): c is number => c !== null).sort((a, b) => a - b);
  if (created.length < 3) return 0;
  let inBurst = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < created.length; i++) {
    const t = created[i] as number;
    while ((created[lo] as number) < t - windowMs) lo++;
    while (hi + 1 < created.length && (created[hi + 1] as number) <= t + windowMs) hi++;
    if (hi - lo >= 2) inBurst++;
  }
  return inBurst / members.length;
}

/** Share of members whose payment method another member also uses (one payer behind many accounts). */
function paymentReuse(members: readonly AccountSketch[]): number {
  const counts = new Map<string, number>();
  for (const m of members) if (m.signup.payment_fp) counts.set(m.signup.payment_fp, (counts.get(m.signup.payment_fp) ?? 0) + 1);
  let shared = 0;
  for (const c of counts.values()) if (c > 1) shared += c;
  return members.length === 0 ? 0 : shared / members.length;
}

/** Hourly activity on an absolute hour axis: index 0 of `activity` is the hour of `first_ts`. */
function hourly(m: AccountSketch): Map<number, number> {
  const start = Math.floor(m.first_ts / HOUR);
  const out = new Map<number, number>();
  m.activity.forEach((v, i) => {
    if (v > 0) out.set(start + i, v);
  });
  return out;
}

function pearson(a: Map<number, number>, b: Map<number, number>): number {
  const hours = [...new Set([...a.keys(), ...b.keys()])];
  if (hours.length < 3) return 0;
  const lo = Math.min(...hours);
  const hi = Math.max(...hours);
  const n = hi - lo + 1;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let h = lo; h <= hi; h++) {
    const x = a.get(h) ?? 0;
    const y = b.get(h) ?? 0;
    sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  const cov = sab - (sa * sb) / n;
  const den = Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
  return den === 0 ? 0 : cov / den;
}

/** Mean pairwise correlation of hourly activity over up to `cap` members (synchronised operation). */
export function activitySync(members: readonly AccountSketch[], cap = 8): number {
  const sample = members.slice(0, cap).map(hourly);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < sample.length; i++) {
    for (let j = i + 1; j < sample.length; j++) {
      sum += pearson(sample[i] as Map<number, number>, sample[j] as Map<number, number>);
      pairs += 1;
    }
  }
  return pairs === 0 ? 0 : clamp01(sum / pairs);
}

/**
 * Share of members that are verified accounts of a declared organisation. Common ownership
 * that is declared and verified is not what a hydra is: a hydra exists to hide it. Such a
 * group (a course's seats, a company's fleet) goes to per-account review, not to campaign flags.
 */
function established(members: readonly AccountSketch[]): number {
  const n = members.filter((m) => m.signup.verified === true && m.signup.org !== null && m.signup.org !== '').length;
  return members.length === 0 ? 0 : n / members.length;
}

type Behaviour = Pick<
  CampaignSignals,
  'mean_account_score' | 'elicitation' | 'output_ratio' | 'own_flagged_share' | 'pooled_behaviour' | 'template_signal' | 'release_pivot' | 'behaviour'
>;

/**
 * Does the group behave like extraction? Three views, the strongest wins: the per-account
 * scores (calibrated per account, but near zero for accounts too light to judge alone); the
 * share of members the per-account stage already flagged; and the group's traffic pooled as if
 * it were one account (elicitation, long answers to short prompts, release pivot), trusted in
 * proportion to the exchanges behind it. Pooling is what lets a hydra of light accounts be
 * judged within its first hour. Template coherence is reported but not counted: enterprise
 * and course traffic is templated too.
 */
function behaviourOf(members: readonly AccountSketch[], params: ScoreParams): Behaviour {
  const active = members.filter((m) => m.exchanges > 0);
  const mean_account_score = active.length === 0 ? 0 : active.reduce((s, m) => s + m.score, 0) / active.length;
  const own_flagged_share = active.length === 0 ? 0 : active.filter((m) => m.first_flagged_ts !== null).length / active.length;
  const elicitation = Math.max(0, ...params.elicitationSignals.map((name) => weightedMean(members, name)));
  const release_pivot = weightedMean(members, params.pivotSignal);
  const template_signal = weightedMean(members, params.templateSignal);
  const [lo, hi] = params.outputRatioRamp;
  const output_ratio = clamp01((pooledMean(members, params.outputRatioSignal) - lo) / (hi - lo));
  const exchanges = active.reduce((s, m) => s + m.exchanges, 0);
  const confidence = exchanges / (exchanges + params.pooledHalfExchanges);
  const pooled_behaviour = confidence * (1 - (1 - 0.8 * elicitation) * (1 - 0.8 * output_ratio) * (1 - 0.3 * release_pivot));
  const behaviour = Math.max(mean_account_score, own_flagged_share, pooled_behaviour);
  return { mean_account_score, elicitation, output_ratio, own_flagged_share, pooled_behaviour, template_signal, release_pivot, behaviour };
}

/** Exchange-weighted mean of an unbounded signal (not clamped). */
function pooledMean(members: readonly AccountSketch[], name: string): number {
  let num = 0;
  let den = 0;
  for (const m of members) {
    const v = m.signals[name];
    if (v === undefined || !Number.isFinite(v) || m.exchanges <= 0) continue;
    num += m.exchanges * v;
    den += m.exchanges;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Scores a group of linked accounts as a campaign. Two independent questions, both needed:
 * do the members behave like extraction (behaviour), and do they look like one operator
 * hiding behind many accounts (coordination)? Their geometric mean is high only when both
 * are; it is scaled by a size factor (a pair is weak evidence of a campaign) and discounted
 * by the share of established accounts (verified, long-lived, in an org).
 *
 * @example
 * scoreCampaign(memberSketches, params).score; // 0.83 for a 200-account hydra
 */
export function scoreCampaign(members: readonly AccountSketch[], params: ScoreParams): CampaignSignals {
  const size = members.length;
  const exchanges = members.reduce((s, m) => s + m.exchanges, 0);
  const b = behaviourOf(members, params);
  const payment_share = paymentReuse(members);
  const signup_burst = signupBurst(members, params.burstWindowMs);
  // How much of the group sits on one network and one client stack (modal shares).
  const infra_concentration =
    (modalShare(members, (m) => m.infra.subnets) + modalShare(members, (m) => m.infra.asns) +
      modalShare(members, (m) => m.infra.tls_fps) + modalShare(members, (m) => m.infra.user_agents)) / 4;
  const template_share = modalShare(members, (m) => m.template_bands);
  const sync = activitySync(members);
  // Noisy-or: any one strong sign of a single operator counts; several together count more.
  const coordination =
    1 - (1 - 0.7 * payment_share) * (1 - 0.5 * signup_burst) * (1 - 0.4 * infra_concentration) * (1 - 0.4 * template_share) * (1 - 0.3 * sync);

  const est = established(members);
  // A pair is weaker evidence of a campaign than a crowd; from four accounts on, size
  // barely matters. A pair passes only when both members behave like extraction.
  const size_factor = 1 - Math.exp(-(size - 1));
  const score = clamp01(size_factor * Math.sqrt(b.behaviour * coordination) * (1 - est));
  return {
    size, exchanges, ...b,
    payment_share, signup_burst, infra_concentration, template_share, sync, coordination,
    established: est, size_factor, score,
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
