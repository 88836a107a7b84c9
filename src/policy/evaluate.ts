import type { AccountResult, Action } from '../domain/index.js';
import type { Campaign } from '../domain/index.js';
import type { Decision, DecisionTarget } from '../domain/index.js';
import type { AllowlistEntry } from '../ports/index.js';
import { findAllowlisted, policyAllowlist } from './allowlist.js';
import { evaluateCondition, renderTemplate, type FieldContext } from './conditions.js';
import { campaignInfrastructure, type InfraIndex } from './infrastructure.js';
import type { Policy, Rule } from './schema.js';

/** An account (or one end user of a reseller account) to decide on. */
export interface AccountSubject {
  kind: 'account';
  result: AccountResult;
  /** The campaign the account belongs to, so account rules may test campaign.* fields. */
  campaign?: Campaign | null;
  org?: string | null;
  /** Decision time (epoch ms): event time in a scan, wall time live. */
  nowTs: number;
  /** Allowlist entries added through the API, on top of the policy file's. */
  allowlist?: readonly AllowlistEntry[];
}

/** A campaign to decide on; its decisions may fan out to members and infrastructure. */
export interface CampaignSubject {
  kind: 'campaign';
  campaign: Campaign;
  /** Infrastructure seen per value (e.g. from account sketches), merged with the campaign's edges. */
  infra?: InfraIndex;
  orgs?: Readonly<Record<string, string>>;
  nowTs: number;
  allowlist?: readonly AllowlistEntry[];
}

export type PolicySubject = AccountSubject | CampaignSubject;

const SEVERITY: Record<Action, number> = {
  allow: 0,
  monitor: 1,
  review: 2,
  challenge: 3,
  degrade: 4,
  throttle: 5,
  block: 6,
  'ban-campaign': 7,
};

/** Orders actions from least to most severe (used to pick an account's headline action). */
export function actionSeverity(action: Action): number {
  return SEVERITY[action];
}

/** The most severe action among decisions, or `allow` when there are none. */
export function strongestAction(decisions: readonly Pick<Decision, 'action'>[]): Action {
  let best: Action = 'allow';
  for (const d of decisions) if (SEVERITY[d.action] > SEVERITY[best]) best = d.action;
  return best;
}

/** FNV-1a, 2×32 bits: stable ids without a crypto dependency, so re-evaluation overwrites. */
function stableId(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
  }
  return `dec_${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}

/** Canonical text of a target; the gateway's cache keys use the same form. */
export function targetKey(t: DecisionTarget): string {
  switch (t.kind) {
    case 'account': return `account:${t.account}`;
    case 'end_user': return `end_user:${t.account}/${t.end_user}`;
    case 'campaign': return `campaign:${t.campaign}`;
    case 'ip':
    case 'cidr':
    case 'asn':
    case 'tls_fp':
      return `${t.kind}:${t.value}`;
  }
}

/** Id of the decision a policy makes for a target; the same subject always gets the same id. */
export function policyDecisionId(policyName: string, origin: string, target: DecisionTarget): string {
  return stableId(`${policyName}|${origin}|${targetKey(target)}`);
}

function paramsOf(rule: Rule): Decision['params'] {
  const then = rule.then;
  const out: Decision['params'] = {};
  if (then.action === 'throttle' || then.action === 'degrade') {
    for (const [k, v] of Object.entries(then.params)) if (v !== undefined) out[k] = v;
  }
  return out;
}

function makeDecision(policy: Policy, rule: Rule, origin: string, target: DecisionTarget, reasons: string[], nowTs: number, action: Action = rule.then.action): Decision {
  return {
    id: policyDecisionId(policy.name, origin, target),
    target,
    action,
    reasons,
    source: `policy:${policy.name}/${rule.id}`,
    created_ts: nowTs,
    expires_ts: nowTs + (rule.then.ttl ?? policy.defaults.ttl),
    params: paramsOf(rule),
    status: 'active',
  };
}

function firstMatch(policy: Policy, appliesTo: Rule['applies_to'], ctx: FieldContext): { rule: Rule; why: string[] } | null {
  for (const rule of policy.rules) {
    if (rule.applies_to !== appliesTo) continue;
    const why: string[] = [];
    if (evaluateCondition(rule.when, ctx, why)) return { rule, why };
  }
  return null;
}

function allowlistDecision(policy: Policy, target: DecisionTarget, entry: AllowlistEntry, nowTs: number): Decision {
  return {
    id: policyDecisionId(policy.name, 'allowlist', target),
    target,
    action: 'allow',
    reasons: [`allowlisted (${entry.subject}) by ${entry.owner}: ${entry.reason}; until ${new Date(entry.expires_ts).toISOString()}`],
    source: `allowlist:${entry.id}`,
    created_ts: nowTs,
    expires_ts: entry.expires_ts,
    params: {},
    status: 'active',
  };
}

function evaluateAccount(policy: Policy, s: AccountSubject): Decision[] {
  const r = s.result;
  const target: DecisionTarget =
    r.end_user !== undefined ? { kind: 'end_user', account: r.account, end_user: r.end_user } : { kind: 'account', account: r.account };
  const entries = [...policyAllowlist(policy), ...(s.allowlist ?? [])];
  const ctx: FieldContext = { account: r, campaign: s.campaign ?? null };
  const match = firstMatch(policy, 'account', ctx);
  if (!match || match.rule.then.action === 'allow') return [];
  const allowed = findAllowlisted(entries, { account: r.account, endUser: r.end_user, org: s.org }, s.nowTs);
  if (allowed) return [allowlistDecision(policy, target, allowed, s.nowTs)];
  const reasons = [renderTemplate(match.rule.then.reason, ctx), ...match.why];
  return [makeDecision(policy, match.rule, 'account', target, reasons, s.nowTs)];
}

function evaluateCampaign(policy: Policy, s: CampaignSubject): Decision[] {
  const c = s.campaign;
  const ctx: FieldContext = { campaign: c };
  const match = firstMatch(policy, 'campaign', ctx);
  if (!match || match.rule.then.action === 'allow') return [];
  const { rule } = match;
  const origin = `campaign:${c.id}`;
  const headline = renderTemplate(rule.then.reason, ctx);
  const entries = [...policyAllowlist(policy), ...(s.allowlist ?? [])];
  const out: Decision[] = [];
  const exempt: string[] = [];
  if (rule.then.members ?? true) {
    for (const account of c.accounts) {
      const target: DecisionTarget = { kind: 'account', account };
      const allowed = findAllowlisted(entries, { account, org: s.orgs?.[account] }, s.nowTs);
      if (allowed) {
        exempt.push(account);
        out.push(allowlistDecision(policy, target, allowed, s.nowTs));
      } else {
        out.push(makeDecision(policy, rule, origin, target, [`member of campaign ${c.id}: ${headline}`, ...match.why], s.nowTs));
      }
    }
  }
  const infra = rule.then.infrastructure;
  if (infra) {
    for (const item of campaignInfrastructure(c, s.infra).values()) {
      if (!infra.kinds.includes(item.kind) || item.accounts.size < infra.min_accounts) continue;
      const target = { kind: item.kind, value: item.value } as DecisionTarget;
      const why = `${item.kind} ${item.value} shared by ${item.accounts.size} accounts of campaign ${c.id}`;
      out.push(makeDecision(policy, rule, origin, target, [why, headline], s.nowTs));
    }
  }
  const reasons = [headline, ...match.why];
  if (exempt.length > 0) reasons.push(`${exempt.length} allowlisted member(s) exempted: ${exempt.slice(0, 10).join(', ')}`);
  out.unshift(makeDecision(policy, rule, origin, { kind: 'campaign', campaign: c.id }, reasons, s.nowTs));
  return out;
}

/**
 * Applies a policy to one account result or one campaign. Pure and cheap: call it per result.
 * Rules are tried in file order and the first that matches decides; an `allow` rule stops
 * evaluation without producing a decision. Allowlisted subjects get an explicit `allow`
 * decision that says who allowlisted them and why.
 * @example
 * const decisions = evaluatePolicy(policy, { kind: 'account', result, nowTs: result.last_seen_ts });
 * const action = strongestAction(decisions);
 */
export function evaluatePolicy(policy: Policy, subject: PolicySubject): Decision[] {
  return subject.kind === 'account' ? evaluateAccount(policy, subject) : evaluateCampaign(policy, subject);
}
