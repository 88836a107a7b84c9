import type { AccountSketch } from '../domain/index.js';

export interface ScoreParams {
  /** Per-account signals that measure capability elicitation (reasoning traces, grader prompts, logprobs). */
  elicitationSignals: readonly string[];
  templateSignal: string;
  pivotSignal: string;
  /** Members created within this distance of the median signup count as one burst. */
  burstWindowMs: number;
  /** An account at least this old when first seen, verified and in an org, counts as established. */
  establishedAgeMs: number;
}

/** Campaign-level measurements, each in [0, 1] unless named otherwise; all go to `signals`. */
export interface CampaignSignals {
  size: number;
  exchanges: number;
  mean_account_score: number;
  elicitation: number;
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
    const w = Math.max(1, m.exchanges);
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

function signupBurst(members: readonly AccountSketch[], windowMs: number): number {
  const created = members.map((m) => m.signup.created).filter((c): c is number => c !== null).sort((a, b) => a - b);
  if (created.length < 2) return 0;
  const median = created[Math.floor(created.length / 2)] as number;
  return created.filter((c) => Math.abs(c - median) <= windowMs).length / members.length;
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
export function activitySync(members: readonly AccountSketch[], cap = 12): number {
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

function established(members: readonly AccountSketch[], ageMs: number): number {
  const n = members.filter(
    (m) => m.signup.verified === true && m.signup.org !== null && m.signup.created !== null && m.first_ts - m.signup.created >= ageMs,
  ).length;
  return members.length === 0 ? 0 : n / members.length;
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
  const mean_account_score = size === 0 ? 0 : members.reduce((s, m) => s + m.score, 0) / size;
  const elicitation = Math.max(0, ...params.elicitationSignals.map((name) => weightedMean(members, name)));
  const template_signal = weightedMean(members, params.templateSignal);
  const release_pivot = weightedMean(members, params.pivotSignal);
  // Elicitation is the signature of distillation; templating and a pivot to a new release
  // corroborate it. The per-account score stands in when the signals are absent.
  const behaviour = Math.max(mean_account_score, clamp01(0.6 * elicitation + 0.25 * template_signal + 0.15 * release_pivot));

  const payment_share = size < 2 ? 0 : modalShare(members, (m) => (m.signup.payment_fp ? [m.signup.payment_fp] : []));
  const signup_burst = signupBurst(members, params.burstWindowMs);
  const infra_concentration = Math.max(
    modalShare(members, (m) => m.infra.subnets),
    modalShare(members, (m) => (m.signup.signup_ip ? [m.signup.signup_ip] : [])),
  );
  const template_share = modalShare(members, (m) => m.template_bands);
  const sync = activitySync(members);
  // Noisy-or: any one strong sign of a single operator counts; several together count more.
  const coordination =
    1 - (1 - 0.7 * payment_share) * (1 - 0.5 * signup_burst) * (1 - 0.4 * infra_concentration) * (1 - 0.4 * template_share) * (1 - 0.3 * sync);

  const est = established(members, params.establishedAgeMs);
  const size_factor = 1 - Math.exp(-(size - 1) / 3);
  const score = clamp01(size_factor * Math.sqrt(behaviour * coordination) * (1 - est));
  return {
    size, exchanges, mean_account_score, elicitation, template_signal, release_pivot, behaviour,
    payment_share, signup_burst, infra_concentration, template_share, sync, coordination,
    established: est, size_factor, score,
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
