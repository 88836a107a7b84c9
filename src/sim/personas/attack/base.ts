import { Actor, FREEMAIL, type AccountInfo, type ActorInit, type Env, type Persona } from '../../actor.js';
import { NetProfile, type Req } from '../../event.js';
import { MODELS } from '../../models.js';
import { browserClient, sdkClient, type Block, type Client } from '../../network.js';
import type { Rng } from '../../rng.js';
import { tzOf } from '../../session.js';
import { CASUAL, DAY, nextArrival, WORK } from '../../timing.js';
import { fill, HARVEST_TEMPLATES, paraphraseHarvest, type Template } from '../../wrappers.js';
import { apiKey, type OpenedAccount } from '../account.js';

/** What the accounts of one campaign share: operator tooling, infrastructure, payment, templates. */
export interface Kit {
  readonly campaign: string;
  readonly persona: Persona;
  readonly templates: readonly Template[];
  readonly tooling: Client;
  readonly blocks: readonly Block[];
  readonly pays: readonly string[];
  readonly emailDomain: string;
  readonly country: string;
  readonly evasion: number;
}

export interface Schedule {
  readonly perDay: number;
  readonly activeFrom: number;
  readonly activeTo: number;
}

/** Account, network and label for one attack account (or hidden end user) drawn from its kit. */
export function attackAccount(env: Env, rng: Rng, kit: Kit, created: number): OpenedAccount {
  const e = kit.evasion;
  const client = rng.chance(e) ? (rng.chance(0.5) ? sdkClient(rng) : browserClient(rng)) : kit.tooling;
  const net = rng.chance(e)
    ? new NetProfile(rng, rng.pick(kit.blocks), 'proxy', client, 1, kit.country)
    : new NetProfile(rng, rng.pick(kit.blocks), 'server', client, 6);
  const account = env.ids.next('acct');
  const info: AccountInfo = {
    created,
    email_domain: rng.chance(e) ? rng.pick(FREEMAIL) : kit.emailDomain,
    payment_fp: rng.pick(kit.pays),
    tier: rng.weighted([
      ['free', 3],
      ['tier-1', 3],
      ['tier-2', 1],
    ]),
    verified: false,
    country: kit.country,
    signup_ip: net.next().ip,
  };
  return {
    who: { account, key: apiKey(rng) },
    net,
    account: info,
    label: { account, label: 'attack', persona: kit.persona, campaign: kit.campaign },
  };
}

/**
 * Base of all attack actors. With probability `evasion` an account times itself like a person (diurnal
 * sessions in its claimed time zone); otherwise it runs like a machine, around the clock with regular gaps.
 * It also mixes in ordinary-looking cover requests, more of them the more evasive the campaign.
 */
export abstract class AttackActor extends Actor {
  protected readonly human: boolean;
  private readonly tz: number;
  private sessLeft = 0;

  constructor(
    init: ActorInit,
    protected readonly kit: Kit,
    protected readonly plan: Schedule,
    protected readonly endUser?: string,
  ) {
    super(init);
    this.human = this.rng.chance(kit.evasion);
    this.tz = tzOf(kit.country);
  }

  protected schedule(after: number): number {
    const r = this.rng;
    const until = Math.min(this.env.end, this.plan.activeTo);
    const from = Math.max(after + 1, this.plan.activeFrom);
    let t: number;
    if (this.human) {
      if (this.sessLeft > 0 && after >= this.plan.activeFrom) {
        this.sessLeft--;
        t = after + r.lognormal(35_000, 0.8);
      } else {
        this.sessLeft = Math.round(r.lognormal(6, 0.5));
        t = nextArrival(
          r,
          { shape: r.chance(0.5) ? CASUAL : WORK, tz: this.tz, weekend: 1 },
          from,
          (this.rate(after) * 1.8) / (this.sessLeft + 1),
          until,
        );
      }
    } else {
      const mean = DAY / this.rate(after);
      t = from === after + 1 ? after + mean * r.range(0.6, 1.4) : from + r.range(0, Math.min(mean, 600_000));
    }
    return t >= until ? Infinity : t;
  }

  /** Requests per day; subclasses change it over time (release pivots). */
  protected rate(_t: number): number {
    return this.plan.perDay;
  }

  protected request(ts: number): Req {
    const r = this.rng;
    const req = r.chance(0.3 * this.kit.evasion) ? this.cover() : this.attack(ts);
    if (this.endUser !== undefined) req.endUser = this.endUser;
    return req;
  }

  protected abstract attack(ts: number): Req;

  private cover(): Req {
    const r = this.rng;
    return {
      model: r.chance(0.7) ? MODELS.chat.id : MODELS.mini.id,
      messages: [{ role: 'user', content: r.pick(this.env.corpora.chat) }],
      params: { temperature: 0.7 },
      outKind: 'chat',
      outTokens: r.lognormal(250, 0.7),
    };
  }

  /** A harvesting wrapper around a reasoning or multilingual item: a campaign template, or a paraphrase. */
  protected harvestText(): { text: string; zh: boolean; json: boolean } {
    const r = this.rng;
    const c = this.env.corpora;
    const item = r.chance(0.7) ? r.pick(c.reasoning) : r.pick(c.multilingual);
    if (r.chance(this.kit.evasion)) {
      const text = paraphraseHarvest(r, item.text);
      return { text, zh: /[\u4e00-\u9fff]{4}/.test(text.slice(-40)), json: false };
    }
    const t = r.pick(this.kit.templates);
    return { text: fill(t, item.text), zh: /[\u4e00-\u9fff]/.test(t), json: t.includes('JSON') };
  }
}

export function pickTemplates(rng: Rng, from: readonly Template[], k: number): Template[] {
  const out: Template[] = [];
  if (from.length === 0) return out;
  for (let i = 0; i < k; i++) out.push(rng.pick(from));
  return out;
}

export { HARVEST_TEMPLATES };
