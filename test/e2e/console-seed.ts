import type { AccountResult, Campaign, Decision } from '../../src/domain/index.js';
import type { Store } from '../../src/ports/index.js';

/** Prompt texts an attacker could send: each would run script if rendered as HTML. */
export const XSS_PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload="window.__xss=3">',
  'javascript:window.__xss=4',
  "</textarea><iframe srcdoc=\"<script>parent.__xss=5</script>\"></iframe>",
];

export const T0 = Date.parse('2026-11-01T00:00:00Z');
const HOUR = 3_600_000;

function account(i: number, campaign: string | null, over: Partial<AccountResult> = {}): AccountResult {
  const flagged = campaign !== null;
  return {
    account: `acct_${String(i).padStart(4, '0')}`,
    score: flagged ? 0.6 + (i % 30) / 100 : (i % 40) / 100,
    flagged,
    action: flagged ? 'throttle' : 'allow',
    campaign,
    first_flagged_ts: flagged ? T0 + (i % 48) * HOUR + HOUR : null,
    exchanges_before_flag: flagged ? 20 : null,
    exchanges: 10 + (i % 97) * 3,
    first_seen_ts: T0 + (i % 48) * HOUR,
    last_seen_ts: T0 + (i % 48) * HOUR + 5 * HOUR,
    reasons: flagged
      ? [
          {
            detector: 'reasoning-elicitation',
            score: 0.8,
            explanation: `asks for step-by-step reasoning ${XSS_PAYLOADS[i % XSS_PAYLOADS.length] ?? ''}`,
            signals: { reasoning_share: { value: 0.92, baseline: 0.2, baseline_note: 'p99 benign', unit: 'share' }, high_effort_share: { value: 0.7, baseline: 0.1, unit: 'share' } },
            event_ids: [`ev-${i}-1`, `ev-${i}-2`],
            sample_prompts: [...XSS_PAYLOADS, `Explain step by step <b>why</b> ${i}`],
          },
          { detector: 'capability-focus', score: 0.5, explanation: 'task mix: coding 60%, math 30%, safety 10% (top: coding); 2 writing systems', signals: { top_category_share: { value: 0.6, baseline: 0.75, unit: 'share' } }, event_ids: [], sample_prompts: [] },
        ]
      : [],
    ...over,
  };
}

export const CAMPAIGN_ID = 'cmp-<b>evil</b>';

/** 300 accounts, 24 of them in one campaign whose prompts, explanation and link values carry script payloads. */
export async function seedStore(store: Store): Promise<{ campaign: Campaign; members: AccountResult[]; decision: Decision }> {
  const members: AccountResult[] = [];
  const all: AccountResult[] = [];
  for (let i = 0; i < 300; i += 1) {
    const a = account(i, i < 24 ? CAMPAIGN_ID : null);
    all.push(a);
    if (a.campaign) members.push(a);
  }
  await store.putAccounts(all);
  const edges = members.slice(1).map((m, k) => ({
    a: members[k]?.account ?? '',
    b: m.account,
    weight: 1 + (k % 3) / 10,
    reasons: [
      { kind: 'payment_fp', value: `h:${k % 2 === 0 ? 'aa11' : '<img src=x onerror=window.__xss=6>'}`, weight: 0.54 },
      { kind: 'tls_fp', value: 't13d1516h2', weight: 0.14 },
    ],
  }));
  const campaign: Campaign = {
    id: CAMPAIGN_ID,
    score: 0.87,
    accounts: members.map((m) => m.account),
    size: members.length,
    first_seen_ts: T0,
    last_seen_ts: T0 + 53 * HOUR,
    first_flagged_ts: T0 + HOUR,
    exchanges: members.reduce((s, m) => s + m.exchanges, 0),
    signals: { behaviour: 0.7, coordination: 0.9, payment_share: 1 },
    edges,
    explanation: `24 accounts linked by payment_fp ${XSS_PAYLOADS[0] ?? ''}`,
  };
  await store.putCampaigns([campaign, { ...campaign, id: 'cmp-benign-looking', score: 0.52, accounts: [], size: 0, edges: [], explanation: 'small group' }]);
  const decision: Decision = {
    id: 'dec_seed_1',
    target: { kind: 'account', account: members[0]?.account ?? '' },
    action: 'block',
    reasons: ['account score 0.97'],
    source: 'policy:default/block',
    created_ts: T0 + 2 * HOUR,
    expires_ts: T0 + 90 * 86_400_000,
    params: {},
    status: 'appealed',
  };
  await store.putDecision(decision);
  await store.putDecision({ ...decision, id: 'dec_seed_2', target: { kind: 'account', account: members[1]?.account ?? '' }, action: 'throttle', status: 'active', params: { rpm: 10 } });
  await store.putAppeal({ id: 'apl_seed_1', decision_id: decision.id, account: members[0]?.account ?? '', submitted_ts: T0 + 3 * HOUR, message: `We are a university lab ${XSS_PAYLOADS[1] ?? ''}`, status: 'pending', resolved_ts: null, resolver: null, resolution_reason: null });
  return { campaign, members, decision };
}
