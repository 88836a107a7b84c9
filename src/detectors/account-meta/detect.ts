import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { finding, noisyOr, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { accountMetaDefinition } from './definition.js';
import type { AccountMetaParams } from './definition.js';

const DAY = 86_400_000;

/** Age in days of the account at its first request, or null without a signup record. */
export function ageDays(f: AccountFeatures): number | null {
  return f.meta === null || !Number.isFinite(f.firstTs)
    ? null
    : Math.max(0, (f.firstTs - f.meta.created) / DAY);
}

/**
 * Trust in [0, 1] of a verified, long-lived organisation. The combiner uses it to lower the
 * prior, by a bounded factor, so such an account is never immune.
 */
export function accountTrust(f: AccountFeatures, p: AccountMetaParams): number {
  const m = f.meta;
  const age = ageDays(f);
  if (m === null || age === null || m.verified !== true) return 0;
  return (m.org !== null ? 0.5 : 0.25) + 0.5 * ramp(age, p.trustedAgeDays / 4, p.trustedAgeDays);
}

export function detectAccountMeta(
  f: AccountFeatures,
  p: AccountMetaParams,
  ctx: DetectContext,
): Finding | null {
  const m = f.meta;
  const age = ageDays(f);
  if (m === null || age === null) return null;
  const young = ramp(age, p.youngOnset, p.youngFull);
  const unverified = m.verified === true ? 0 : 1;
  const lowTier = m.tier !== null && p.lowTiers.includes(m.tier.toLowerCase()) ? 1 : 0;
  const cluster = ramp(m.signupCluster, p.clusterOnset, p.clusterFull);
  const score = noisyOr([0.5 * young, 0.2 * unverified, 0.15 * lowTier, 0.7 * cluster]);
  if (score < 0.05) return null;
  return finding(
    accountMetaDefinition.id,
    score,
    `account ${age.toFixed(1)} days old at first request, ${m.verified === true ? 'verified' : 'unverified'}, ` +
      `tier ${m.tier ?? 'unknown'}, ${m.signupCluster} accounts in its signup burst`,
    {
      account_age_days: signal(ctx, 'account_age_days', age, p.youngOnset, 'days'),
      verified: signal(ctx, 'verified', m.verified === true ? 1 : 0, 1, 'bool'),
      low_tier: signal(ctx, 'low_tier', lowTier, 0, 'bool'),
      signup_burst: signal(ctx, 'signup_burst', m.signupCluster, p.clusterOnset, 'accounts'),
    },
    [],
    [],
  );
}
