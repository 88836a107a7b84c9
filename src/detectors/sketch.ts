import type { AccountSketch } from '../domain/index.js';
import type { AccountMeta } from '../features/index.js';
import { lshBandKeys } from '../features/index.js';
import { round } from './shared.js';
import { sketchSignals } from './sketch-signals.js';
import type { ScoringContext, Unit } from './unit.js';

const HOUR = 3_600_000;
/** A template cluster must carry at least this share of an account's sampled traffic to be shared. */
const BAND_MIN_SHARE = 0.2;
const MAX_TEMPLATE_CLUSTERS = 2;
const INFRA_TOP = 4;

function templateBlock(unit: Unit): { bands: string[]; minhash: number[] } {
  const s = unit.state.sample;
  if (s === null || s.n < 4) return { bands: [], minhash: [] };
  const order = s.templateW.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const bands: string[] = [];
  for (const [w, i] of order.slice(0, MAX_TEMPLATE_CLUSTERS)) {
    if (w / s.w < BAND_MIN_SHARE) continue;
    const sig = s.templateSigs[i];
    if (sig !== undefined) bands.push(...lshBandKeys(sig));
  }
  const dom = order[0];
  const domSig = dom === undefined ? undefined : s.templateSigs[dom[1]];
  return {
    bands,
    minhash: domSig === undefined || (dom?.[0] ?? 0) / s.w < BAND_MIN_SHARE ? [] : Array.from(domSig),
  };
}

/** Hourly exchange counts from the hour of the first event to the hour of the last (capped). */
function activity(unit: Unit): number[] {
  const st = unit.state;
  if (st.exchanges === 0) return [];
  const used = Math.min(st.activity.length, Math.floor(st.lastTs / HOUR) - st.startHour + 1);
  return Array.from(st.activity.subarray(0, Math.max(0, used)));
}

/**
 * The compact, prompt-free summary the correlation stage consumes. Its signals are those of the
 * unit's last evaluation (the picture its score was based on, at most one evaluation checkpoint
 * old) unless `fresh` asks for the current state; counts, infrastructure, templates and activity
 * are always current.
 */
export function buildSketch(
  account: string,
  unit: Unit,
  meta: AccountMeta | null,
  ctx: ScoringContext,
  fresh = true,
): AccountSketch {
  const st = unit.state;
  const evaluated = fresh ? null : unit.evaluatedSignals;
  const signals =
    evaluated === null
      ? sketchSignals(unit.features(meta, ctx), st.exchanges)
      : { ...evaluated, exchanges: st.exchanges };
  const t = templateBlock(unit);
  return {
    account,
    exchanges: st.exchanges,
    first_ts: Number.isFinite(st.firstTs) ? st.firstTs : 0,
    last_ts: Number.isFinite(st.lastTs) ? st.lastTs : 0,
    score: round(unit.ownScore),
    signals,
    infra: {
      ips: st.ips.top(INFRA_TOP),
      subnets: st.subnets.top(INFRA_TOP),
      asns: st.asns.top(INFRA_TOP),
      tls_fps: st.tlsFps.top(INFRA_TOP),
      user_agents: st.userAgents.top(INFRA_TOP),
    },
    signup: {
      created: meta?.created ?? null,
      signup_ip: meta?.signupIp ?? null,
      payment_fp: meta?.paymentFp ?? null,
      email_domain: meta?.emailDomain ?? null,
      org: meta?.org ?? null,
      verified: meta?.verified ?? null,
      tier: meta?.tier ?? null,
    },
    template_bands: t.bands,
    template_minhash: t.minhash,
    activity: activity(unit),
    first_flagged_ts: unit.ownFlaggedTs,
  };
}
