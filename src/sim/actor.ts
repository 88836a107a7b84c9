import type { Corpora } from './corpora.js';
import { buildEvent, type Identity, type NetProfile, type Req } from './event.js';
import { hash32, Rng } from './rng.js';
import { DAY, HOUR } from './timing.js';

export type Persona =
  | 'casual_chat'
  | 'coding_agent'
  | 'ci_bot'
  | 'enterprise_batch'
  | 'eval_researcher'
  | 'education_platform'
  | 'education_student'
  | 'education_seat'
  | 'reseller'
  | 'reseller_end_user'
  | 'hydra'
  | 'reasoning_harvest'
  | 'agentic_extraction'
  | 'grader_harvest'
  | 'coverage_sweep'
  | 'release_pivot'
  | 'reseller_hidden_attacker';

/** One line of labels.ndjson. */
export interface Label {
  account: string;
  end_user?: string;
  label: 'benign' | 'attack';
  persona: Persona;
  campaign: string | null;
}

/** Run-wide settings and shared material every persona reads. */
export interface Env {
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly days: number;
  readonly scale: number;
  readonly evasion: number;
  readonly release: number;
  readonly corpora: Corpora;
  readonly ids: Ids;
}

/** Opaque, unique identifiers: a bijective mix of a counter, so ids never collide and reveal nothing. */
export class Ids {
  private n = 0;
  private readonly salt: number;
  constructor(seed: number) {
    this.salt = hash32(`ids:${seed}`);
  }
  private mix(x: number): string {
    let h = Math.imul(x ^ this.salt, 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    return (h >>> 0).toString(16).padStart(8, '0');
  }
  next(prefix: string): string {
    const n = this.n++;
    return `${prefix}_${this.mix(n)}${(hash32(`${this.salt}:${n}`) & 0xffff).toString(16).padStart(4, '0')}`;
  }
}

export interface AccountInfo {
  created: number;
  org?: string;
  email_domain: string;
  payment_fp: string;
  tier: string;
  verified: boolean;
  country: string;
  signup_ip: string;
}

/**
 * What every actor is built from, one object so that subclasses pass it on whole. `order` is the actor's
 * place in the population and seeds its random stream. `account` is null for an actor that acts through
 * an account another actor holds (end users, platform jobs); a subclass that reads the record narrows `A`.
 */
export interface ActorInit<A extends AccountInfo | null = AccountInfo | null> {
  readonly order: number;
  readonly env: Env;
  readonly who: Identity;
  readonly net: NetProfile;
  readonly label: Label;
  readonly account: A;
}

/**
 * Something that emits records in time order: first its account record (if it owns the account), then
 * events. Each actor has its own random stream, so the output does not depend on scheduling order.
 */
export abstract class Actor {
  nextTs = Infinity;
  events = 0;
  private pendingAccount: Record<string, unknown> | null = null;
  readonly rng: Rng;
  readonly order: number;
  protected readonly env: Env;
  readonly who: Identity;
  readonly net: NetProfile;
  readonly label: Label;

  constructor({ order, env, who, net, label, account }: ActorInit) {
    this.order = order;
    this.env = env;
    this.who = who;
    this.net = net;
    this.label = label;
    this.rng = new Rng(env.seed, hash32(`actor:${order}`));
    if (account !== null) {
      this.pendingAccount = {
        type: 'account',
        account: who.account,
        ...account,
        created: new Date(account.created).toISOString(),
      };
    }
    this.accountTs = account === null ? env.start : Math.max(env.start, account.created);
  }

  private readonly accountTs: number;

  /** Must be called once after construction (subclass fields are ready by then). */
  init(): this {
    if (this.pendingAccount !== null) this.nextTs = this.accountTs;
    else this.nextTs = this.clamp(this.schedule(this.accountTs));
    return this;
  }

  /** The next record as one JSON line. */
  step(nextId: () => string): string {
    const ts = this.nextTs;
    if (this.pendingAccount !== null) {
      const rec = this.pendingAccount;
      this.pendingAccount = null;
      this.nextTs = this.clamp(this.schedule(ts));
      return JSON.stringify(rec);
    }
    const req = this.request(ts);
    const ev = buildEvent(nextId(), ts, this.who, this.net, req, this.rng, this.env.corpora.responses);
    this.events++;
    this.nextTs = this.clamp(this.schedule(ts));
    return ev;
  }

  private clamp(t: number): number {
    return t < this.env.end ? Math.floor(t) : Infinity;
  }

  /** The next event time strictly after `after` (or Infinity when the actor is done). */
  protected abstract schedule(after: number): number;
  /** The request this actor sends at `ts`. */
  protected abstract request(ts: number): Req;
}

/** Account metadata helpers shared by personas. */
export function accountAge(rng: Rng, env: Env, medianDays: number, sigma = 1, minDays = 2): number {
  return env.start - Math.max(minDays, rng.lognormal(medianDays, sigma)) * DAY - rng.int(0, 23) * HOUR;
}

export function paymentFp(rng: Rng): string {
  return `pm_${rng.hex(16)}`;
}

export const FREEMAIL = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
  'proton.me',
  'hotmail.com',
  'qq.com',
  '163.com',
  'gmx.de',
  'naver.com',
];

const WORD_A = [
  'north',
  'blue',
  'river',
  'quant',
  'bright',
  'stone',
  'cedar',
  'apex',
  'lumen',
  'harbor',
  'nova',
  'vertex',
  'polar',
  'summit',
];
const WORD_B = [
  'logistics',
  'health',
  'bank',
  'retail',
  'labs',
  'systems',
  'analytics',
  'insure',
  'media',
  'foods',
  'mobility',
  'learning',
];

export function companyName(rng: Rng): string {
  return `${rng.pick(WORD_A)}${rng.pick(WORD_B)}`;
}

export function companyDomain(rng: Rng, name: string): string {
  return `${name}.${rng.pick(['com', 'com', 'io', 'de', 'co.uk', 'ai', 'net'])}`;
}
