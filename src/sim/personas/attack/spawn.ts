import type { Actor, Env, Persona } from '../../actor.js';
import { BLOCKS, toolingClient, type Block } from '../../network.js';
import type { Rng } from '../../rng.js';
import { DAY, HOUR } from '../../timing.js';
import { COVERAGE_TEMPLATES, GRADER_TEMPLATES, type Template } from '../../wrappers.js';
import type { ResellerHandle } from '../reseller.js';
import { attackAccount, HARVEST_TEMPLATES, pickTemplates, type Kit, type Schedule } from './base.js';
import { AgenticActor, CoverageActor, GraderActor, HarvestActor, PivotActor } from './kinds.js';

type Spawned = Actor[];

class Campaigns {
  private n = 0;
  constructor(
    private readonly env: Env,
    private readonly rng: Rng,
  ) {}

  /** A new campaign kit; `payShare` is the fraction of accounts with a payment method of their own. */
  kit(persona: Persona, templates: readonly Template[], accounts: number, payShare: number): Kit {
    const r = this.rng;
    const e = this.env.evasion;
    const provider = r.pick(BLOCKS.DATACENTER);
    const blocks: Block[] = BLOCKS.DATACENTER.filter((b) => b.asn === provider.asn);
    const pays: string[] = [];
    const nPays = Math.max(1, Math.round(accounts * Math.min(1, payShare + 0.5 * e)));
    for (let i = 0; i < nPays; i++) pays.push(`pm_${r.hex(16)}`);
    const custom = `${r.pick(['mx', 'box', 'mail', 'inbox', 'post'])}${r.hex(4)}.${r.pick(['xyz', 'top', 'io', 'dev', 'site'])}`;
    return {
      campaign: `camp-${this.env.seed}-${this.n++}`,
      persona,
      templates,
      tooling: toolingClient(r),
      blocks,
      pays,
      emailDomain: r.chance(0.5)
        ? custom
        : r.pick(['tempmail.dev', 'mail.tm', 'guerrillamail.com', 'sharklasers.com']),
      country: r.weighted([
        ['CN', 4],
        ['US', 2],
        ['SG', 2],
        ['RU', 1],
        ['KR', 1],
        ['DE', 1],
      ]),
      evasion: e,
    };
  }
}

type Kind = 'harvest' | 'agentic' | 'grader' | 'coverage' | 'pivot';

function actorFor(kind: Kind, args: ConstructorParameters<typeof HarvestActor>): Actor {
  switch (kind) {
    case 'harvest':
      return new HarvestActor(...args);
    case 'agentic':
      return new AgenticActor(...args);
    case 'grader':
      return new GraderActor(...args);
    case 'coverage':
      return new CoverageActor(...args);
    case 'pivot':
      return new PivotActor(...args);
  }
}

/** Hydra clusters: hundreds of light accounts created in bursts on shared payment and infrastructure. */
function spawnHydra(env: Env, rng: Rng, camps: Campaigns, nextOrder: () => number, out: Spawned): void {
  const e = env.evasion;
  const clusters = Math.max(1, Math.round(2 * env.scale));
  for (let c = 0; c < clusters; c++) {
    const n = Math.round(rng.int(200, 400) * Math.sqrt(env.scale) * (1 + e));
    const kind: Kind = rng.chance(0.6) ? 'harvest' : 'coverage';
    const kit = camps.kit(
      'hydra',
      pickTemplates(rng, kind === 'harvest' ? HARVEST_TEMPLATES : COVERAGE_TEMPLATES, rng.int(1, 3)),
      n,
      0.01,
    );
    const bursts: number[] = [];
    for (let b = rng.int(3, 6); b > 0; b--) bursts.push(env.start + rng.range(-1, 0.6 * env.days) * DAY);
    const spread = (1 - e) * 0.5 * HOUR + e * 2 * DAY;
    for (let i = 0; i < n; i++) {
      const created = (bursts[i % bursts.length] ?? env.start) + rng.range(0, spread);
      const a = attackAccount(env, rng, kit, created);
      const activeFrom = created + rng.range(2, 30) * 60_000 + e * rng.range(0, 24) * HOUR;
      const life = rng.range(1, 3) * DAY;
      const volume = rng.range(15, 60) / (1 + e);
      const plan: Schedule = { perDay: volume / (life / DAY), activeFrom, activeTo: activeFrom + life };
      if (created < env.end) out.push(actorFor(kind, [{ order: nextOrder(), env, ...a }, kit, plan]));
    }
  }
}

interface GroupSpec {
  persona: Persona;
  kind: Kind;
  templates: readonly Template[];
  accounts: [number, number];
  perDay: number;
}

const GROUPS: readonly GroupSpec[] = [
  {
    persona: 'reasoning_harvest',
    kind: 'harvest',
    templates: HARVEST_TEMPLATES,
    accounts: [6, 10],
    perDay: 110,
  },
  { persona: 'agentic_extraction', kind: 'agentic', templates: [], accounts: [3, 5], perDay: 150 },
  { persona: 'grader_harvest', kind: 'grader', templates: GRADER_TEMPLATES, accounts: [2, 4], perDay: 200 },
  {
    persona: 'coverage_sweep',
    kind: 'coverage',
    templates: COVERAGE_TEMPLATES,
    accounts: [3, 5],
    perDay: 120,
  },
  { persona: 'release_pivot', kind: 'pivot', templates: HARVEST_TEMPLATES, accounts: [3, 5], perDay: 45 },
];

/** Small groups of heavier accounts, and lone extractors with a campaign of their own. */
function spawnGroups(env: Env, rng: Rng, camps: Campaigns, nextOrder: () => number, out: Spawned): void {
  const spread = 1 + 2 * env.evasion;
  const per = Math.max(1, Math.round(env.scale));
  // Below scale 1 the number of groups stops shrinking, so their volume shrinks instead.
  const damp = Math.min(1, env.scale);
  for (const g of GROUPS) {
    for (let k = 0; k < per; k++) {
      const n = Math.round(rng.int(g.accounts[0], g.accounts[1]) * spread);
      const kit = camps.kit(g.persona, pickTemplates(rng, g.templates, rng.int(2, 3)), n, 0.3);
      for (let i = 0; i < n; i++) {
        const created = env.start - rng.range(5, 90) * DAY;
        const a = attackAccount(env, rng, kit, created);
        const plan: Schedule = {
          perDay: (damp * g.perDay * rng.lognormal(1, 0.3)) / spread,
          activeFrom: env.start + rng.range(0, 0.1) * DAY,
          activeTo: Infinity,
        };
        out.push(actorFor(g.kind, [{ order: nextOrder(), env, ...a }, kit, plan]));
      }
    }
    for (let k = 0; k < per && (g.kind === 'harvest' || g.kind === 'coverage'); k++) {
      const kit = camps.kit(g.persona, pickTemplates(rng, g.templates, 1), 1, 1);
      const a = attackAccount(env, rng, kit, env.start - rng.range(1, 30) * DAY);
      const plan: Schedule = {
        perDay: damp * g.perDay * rng.lognormal(1, 0.3),
        activeFrom: env.start + rng.range(0, 0.5) * env.days * DAY,
        activeTo: Infinity,
      };
      out.push(actorFor(g.kind, [{ order: nextOrder(), env, ...a }, kit, plan]));
    }
  }
}

/** Extraction hidden among a reseller's legitimate end users: a few end-user ids, same account and servers. */
function spawnHidden(
  env: Env,
  rng: Rng,
  camps: Campaigns,
  nextOrder: () => number,
  resellers: readonly ResellerHandle[],
  out: Spawned,
): void {
  const hosts = Math.max(1, Math.round(env.scale));
  for (let h = 0; h < hosts && h < resellers.length; h++) {
    const rs = resellers[h];
    if (rs === undefined) break;
    const n = Math.round(rng.int(1, 3) * (1 + 2 * env.evasion));
    const kit = camps.kit('reseller_hidden_attacker', pickTemplates(rng, HARVEST_TEMPLATES, 2), n, 1);
    for (let i = 0; i < n; i++) {
      const endUser = `${rs.endUserPrefix}${rng.hex(12)}`;
      const label = {
        account: rs.who.account,
        end_user: endUser,
        label: 'attack' as const,
        persona: 'reseller_hidden_attacker' as const,
        campaign: kit.campaign,
      };
      const plan: Schedule = {
        perDay: (Math.min(1, env.scale) * 90 * rng.lognormal(1, 0.3)) / (1 + 2 * env.evasion),
        activeFrom: env.start + rng.range(0, 0.3) * env.days * DAY,
        activeTo: Infinity,
      };
      const init = { order: nextOrder(), env, who: rs.who, net: rs.net, label, account: null };
      out.push(new HarvestActor(init, kit, plan, endUser));
    }
  }
}

export function spawnAttacks(
  env: Env,
  rng: Rng,
  nextOrder: () => number,
  resellers: readonly ResellerHandle[],
): Actor[] {
  const out: Spawned = [];
  const camps = new Campaigns(env, rng);
  spawnHydra(env, rng, camps, nextOrder, out);
  spawnGroups(env, rng, camps, nextOrder, out);
  spawnHidden(env, rng, camps, nextOrder, resellers, out);
  return out;
}
