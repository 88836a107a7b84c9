import type { AccountInfo, ActorInit, Env, Label, Persona } from '../actor.js';
import type { NetProfile } from '../event.js';
import type { Rng } from '../rng.js';

/** An account as its spawner opens it: all an actor is built from but its order and the run. */
export type OpenedAccount = Omit<ActorInit<AccountInfo>, 'order' | 'env'>;

export function orgId(rng: Rng): string {
  return `org_${rng.hex(12)}`;
}

export function apiKey(rng: Rng): string {
  return `key_${rng.hex(10)}`;
}

/** Labels are written out as JSON, so their keys keep one order whoever builds them. */
export function benignLabel(account: string, persona: Persona, endUser?: string): Label {
  return endUser === undefined
    ? { account, label: 'benign', persona, campaign: null }
    : { account, end_user: endUser, label: 'benign', persona, campaign: null };
}

/** What the spawner of an organisation's account decides; the sign-up address comes from its network. */
export type OrgAccountSpec = Omit<AccountInfo, 'org' | 'signup_ip'> & { readonly org: string };

/**
 * An organisation's own account with one API key under the org and a benign label. The spec's values are
 * drawn by the caller, before the key, as spawners always drew them; the record is rebuilt field by field
 * because it is written out as JSON and its keys must keep their order.
 */
export function orgAccount(
  env: Env,
  rng: Rng,
  net: NetProfile,
  persona: Persona,
  spec: OrgAccountSpec,
): OpenedAccount {
  const account = env.ids.next('acct');
  const info: AccountInfo = {
    created: spec.created,
    org: spec.org,
    email_domain: spec.email_domain,
    payment_fp: spec.payment_fp,
    tier: spec.tier,
    verified: spec.verified,
    country: spec.country,
    signup_ip: net.next().ip,
  };
  return {
    who: { account, org: spec.org, key: apiKey(rng) },
    net,
    account: info,
    label: benignLabel(account, persona),
  };
}
