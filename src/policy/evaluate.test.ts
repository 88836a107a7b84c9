import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountResult, Campaign } from '../domain/index.js';
import { evaluatePolicy, loadPolicy, policyDecisionId, strongestAction } from './index.js';

const policy = loadPolicy(readFileSync('policies/default.yaml', 'utf8'), 'policies/default.yaml');
const NOW = Date.parse('2026-11-01T00:00:00Z');

function result(over: Partial<AccountResult> = {}): AccountResult {
  return {
    account: 'acct-1',
    score: 0.1,
    flagged: false,
    action: 'allow',
    campaign: null,
    first_flagged_ts: null,
    exchanges_before_flag: null,
    exchanges: 500,
    first_seen_ts: NOW - 86_400_000,
    last_seen_ts: NOW,
    reasons: [],
    ...over,
  };
}

function campaign(over: Partial<Campaign> = {}): Campaign {
  const accounts = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
  return {
    id: 'camp-9',
    score: 0.92,
    accounts,
    size: accounts.length,
    first_seen_ts: NOW - 1e7,
    last_seen_ts: NOW,
    first_flagged_ts: NOW - 1e6,
    exchanges: 9000,
    signals: { template_share: 0.8 },
    edges: [
      { a: 'c1', b: 'c2', weight: 1, reasons: [{ kind: 'ip', value: '203.0.113.7', weight: 1 }, { kind: 'tls_fp', value: 't13d1516h2_aaa', weight: 1 }] },
      { a: 'c2', b: 'c3', weight: 1, reasons: [{ kind: 'ip', value: '203.0.113.7', weight: 1 }, { kind: 'tls_fp', value: 't13d1516h2_aaa', weight: 1 }] },
      { a: 'c4', b: 'c5', weight: 1, reasons: [{ kind: 'ip', value: 'hmac:9f2c', weight: 1 }, { kind: 'asn', value: 'AS64500', weight: 1 }] },
      { a: 'c5', b: 'c6', weight: 1, reasons: [{ kind: 'subnet24', value: '198.51.100.0/24', weight: 1 }, { kind: 'asn', value: '64500', weight: 1 }] },
    ],
    explanation: 'shared templates and infrastructure',
    ...over,
  };
}

describe('evaluatePolicy on accounts', () => {
  it('makes no decision for an unremarkable account', () => {
    expect(evaluatePolicy(policy, { kind: 'account', result: result(), nowTs: NOW })).toEqual([]);
  });

  it('degrades a high-risk account with explained, expiring reasons', () => {
    const [d, ...rest] = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.83, flagged: true }), nowTs: NOW });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      action: 'degrade',
      target: { kind: 'account', account: 'acct-1' },
      source: 'policy:default/degrade-high-risk-account',
      expires_ts: NOW + 86_400_000,
      params: { reasoning: 'strip', logprobs: false, max_tokens: 2048 },
    });
    expect(d?.reasons[0]).toBe('account score 0.830; outputs degraded while under review');
    expect(d?.reasons).toContain('account.score = 0.830 (≥ 0.8)');
  });

  it('uses the first matching rule in file order', () => {
    const [d] = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.97 }), nowTs: NOW });
    expect(d?.action).toBe('block');
    const [few] = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.97, exchanges: 20 }), nowTs: NOW });
    expect(few?.action).toBe('degrade');
  });

  it('targets the end user of a reseller account', () => {
    const [d] = evaluatePolicy(policy, { kind: 'account', result: result({ end_user: 'u-7', score: 0.65 }), nowTs: NOW });
    expect(d?.target).toEqual({ kind: 'end_user', account: 'acct-1', end_user: 'u-7' });
    expect(d?.action).toBe('review');
  });

  it('gives the same id on re-evaluation so the decision is overwritten, not duplicated', () => {
    const a = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.65 }), nowTs: NOW });
    const b = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.9 }), nowTs: NOW + 1000 });
    expect(a[0]?.id).toBe(b[0]?.id);
    expect(a[0]?.id).toBe(policyDecisionId('default', 'account', { kind: 'account', account: 'acct-1' }));
  });

  it('turns an allowlisted account into an explained allow until the entry expires', () => {
    const allowlist = [{ id: 'al1', subject: 'account:acct-1', owner: 'ops@x', reason: 'enterprise batch job', created_ts: 0, expires_ts: NOW + 1000 }];
    const [d] = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.99 }), nowTs: NOW, allowlist });
    expect(d).toMatchObject({ action: 'allow', expires_ts: NOW + 1000, source: 'allowlist:al1' });
    expect(d?.reasons[0]).toContain('enterprise batch job');
    const [later] = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.99 }), nowTs: NOW + 1000, allowlist });
    expect(later?.action).toBe('block');
  });

  it('honours the policy file allowlist by org', () => {
    const [d] = evaluatePolicy(policy, { kind: 'account', result: result({ score: 0.99 }), org: 'example-eval-lab', nowTs: NOW });
    expect(d?.action).toBe('allow');
  });
});

describe('evaluatePolicy on campaigns', () => {
  it('bans a confirmed campaign, its members and infrastructure shared by enough accounts', () => {
    const ds = evaluatePolicy(policy, { kind: 'campaign', campaign: campaign(), nowTs: NOW });
    expect(ds[0]).toMatchObject({ action: 'ban-campaign', target: { kind: 'campaign', campaign: 'camp-9' }, expires_ts: NOW + 7 * 86_400_000 });
    expect(ds.filter((d) => d.target.kind === 'account')).toHaveLength(6);
    const infra = ds.filter((d) => !['account', 'campaign'].includes(d.target.kind)).map((d) => d.target);
    // ip and tls_fp shared by c1..c3; the hashed ip is not enforceable; the /24 has only 2 accounts; ASNs are not in the rule.
    expect(infra).toEqual([
      { kind: 'ip', value: '203.0.113.7' },
      { kind: 'tls_fp', value: 't13d1516h2_aaa' },
    ]);
    expect(strongestAction(ds)).toBe('ban-campaign');
  });

  it('adds infrastructure from a supplied index and exempts allowlisted members', () => {
    const allowlist = [{ id: 'al2', subject: 'account:c6', owner: 'ops', reason: 'known partner', created_ts: 0, expires_ts: NOW + 1 }];
    const ds = evaluatePolicy(policy, {
      kind: 'campaign',
      campaign: campaign(),
      nowTs: NOW,
      allowlist,
      infra: { cidr: { '198.51.100.0/24': ['c4', 'c5', 'c6', 'c1'] } },
    });
    expect(ds.find((d) => d.target.kind === 'cidr')?.reasons[0]).toBe('cidr 198.51.100.0/24 shared by 4 accounts of campaign camp-9');
    expect(ds.find((d) => d.target.kind === 'account' && d.target.account === 'c6')?.action).toBe('allow');
    expect(ds[0]?.reasons.at(-1)).toContain('1 allowlisted member(s) exempted: c6');
  });

  it('throttles a probable campaign and leaves small ones alone', () => {
    const probable = evaluatePolicy(policy, { kind: 'campaign', campaign: campaign({ score: 0.7 }), nowTs: NOW });
    expect(probable[0]).toMatchObject({ action: 'throttle', params: { rpm: 20, tpm: 40000 } });
    expect(evaluatePolicy(policy, { kind: 'campaign', campaign: campaign({ score: 0.7, size: 2 }), nowTs: NOW })).toEqual([]);
  });

  it('supports any/not conditions and detector and signal fields', () => {
    const p = loadPolicy(
      `version: 1
name: t
rules:
  - id: cot
    applies_to: account
    when:
      all:
        - any:
            - { field: account.detector.cot_elicitation, gte: 0.7 }
            - { field: account.signal.logprob_share, gt: 0.5 }
        - not: { field: account.id, in: [trusted] }
    then: { action: challenge, reason: "cot {account.detector.cot_elicitation}" }
`,
      't.yaml',
    );
    const finding = { detector: 'cot_elicitation', score: 0.8, explanation: '', signals: { logprob_share: { value: 0.1 } }, event_ids: [], sample_prompts: [] };
    const [d] = evaluatePolicy(p, { kind: 'account', result: result({ reasons: [finding] }), nowTs: NOW });
    expect(d?.action).toBe('challenge');
    expect(d?.reasons).toEqual(['cot 0.800', 'account.detector.cot_elicitation = 0.800 (≥ 0.7)', 'not {"field":"account.id","in":["trusted"]}']);
    expect(evaluatePolicy(p, { kind: 'account', result: result({ account: 'trusted', reasons: [finding] }), nowTs: NOW })).toEqual([]);
  });
});
