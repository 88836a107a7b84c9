import { describe, expect, it } from 'vitest';
import type { AccountMeta } from '../../features/index.js';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { AccountMetaParams } from './definition.js';
import { accountTrust, detectAccountMeta } from './detect.js';

const p = AccountMetaParams.parse({});
const DAY = 86_400_000;
const first = Date.parse('2026-03-02T00:00:00Z');

function meta(over: Partial<AccountMeta>): AccountMeta {
  return {
    created: first - 400 * DAY,
    org: 'org_1',
    emailDomain: 'x.com',
    paymentFp: 'pm',
    tier: 'tier-4',
    verified: true,
    signupIp: null,
    signupCluster: 1,
    ...over,
  };
}

describe('account-metadata detector', () => {
  it('says nothing without a signup record', () => {
    expect(detectAccountMeta(makeFeatures({ firstTs: first }), p, NO_BASELINES)).toBeNull();
  });

  it('scores a brand-new unverified free account from a signup burst', () => {
    const f = detectAccountMeta(
      makeFeatures({
        firstTs: first,
        meta: meta({ created: first - DAY / 4, verified: false, org: null, tier: 'free', signupCluster: 40 }),
      }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.8);
    expect(f?.signals['signup_burst']?.value).toBe(40);
  });

  it('gives a verified, long-lived organisation full trust and a new one less', () => {
    expect(accountTrust(makeFeatures({ firstTs: first, meta: meta({}) }), p)).toBe(1);
    expect(
      accountTrust(makeFeatures({ firstTs: first, meta: meta({ created: first - 10 * DAY }) }), p),
    ).toBeLessThan(0.6);
    expect(accountTrust(makeFeatures({ firstTs: first, meta: meta({ verified: false }) }), p)).toBe(0);
  });
});
