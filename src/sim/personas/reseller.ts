import { accountAge, companyDomain, companyName, paymentFp, type Actor, type Env } from '../actor.js';
import { NetProfile, type Identity } from '../event.js';
import { BLOCKS, blocksIn, scriptClient, sdkClient } from '../network.js';
import type { Rng } from '../rng.js';
import { OwnerActor, pickCountry } from '../session.js';
import { benignLabel, orgAccount, orgId } from './account.js';
import { ChatActor } from './chat.js';

export interface ResellerHandle {
  readonly who: Identity;
  readonly net: NetProfile;
  readonly country: string;
  readonly endUserPrefix: string;
}

/** Apps and resellers: one account, one server block, hundreds of end users forwarded with `end_user`. */
export function spawnResellers(
  env: Env,
  rng: Rng,
  nextOrder: () => number,
): { actors: Actor[]; handles: ResellerHandle[] } {
  const actors: Actor[] = [];
  const handles: ResellerHandle[] = [];
  const n = Math.max(3, Math.round(5 * env.scale));
  for (let i = 0; i < n; i++) {
    const country = rng.weighted([
      ['US', 4],
      ['SG', 2],
      ['DE', 1],
      ['IN', 1],
      ['BR', 1],
    ]);
    const name = companyName(rng);
    const org = orgId(rng);
    const net = new NetProfile(
      rng,
      rng.pick(blocksIn(BLOCKS.DATACENTER, country)),
      'server',
      rng.chance(0.5) ? sdkClient(rng) : scriptClient(rng),
      8,
    );
    const owner = orgAccount(env, rng, net, 'reseller', {
      created: accountAge(rng, env, 365, 0.6, 30),
      org,
      email_domain: companyDomain(rng, name),
      payment_fp: paymentFp(rng),
      tier: 'tier-5',
      verified: rng.chance(0.6),
      country,
    });
    const { who } = owner;
    actors.push(new OwnerActor({ order: nextOrder(), env, ...owner }));
    const prefix = rng.pick(['u_', 'usr-', 'cust_', 'eu-', '']);
    handles.push({ who, net, country, endUserPrefix: prefix });
    const users = Math.max(20, Math.round(rng.lognormal(240, 0.5) * Math.min(1, env.scale)));
    for (let u = 0; u < users; u++) {
      const endUser = `${prefix}${rng.hex(12)}`;
      const label = benignLabel(who.account, 'reseller_end_user', endUser);
      actors.push(
        new ChatActor({ order: nextOrder(), env, who, net, label, account: null }, pickCountry(rng), endUser),
      );
    }
  }
  return { actors, handles };
}
