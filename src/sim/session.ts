import { Actor, type Env } from './actor.js';
import type { SimMessage } from './event.js';
import { MODELS, type ModelKey } from './models.js';
import {
  BLOCKS,
  blocksIn,
  browserClient,
  COUNTRY_TZ,
  sdkClient,
  USER_COUNTRIES,
  type Client,
} from './network.js';
import { NetProfile } from './event.js';
import type { Rng } from './rng.js';
import { DAY, nextArrival, type Rhythm } from './timing.js';
import { FOLLOW_UPS } from './wrappers.js';

/**
 * Actors that work in sessions: session starts follow a diurnal Poisson process; inside a session,
 * turns follow each other after think or tool time.
 */
export abstract class SessionActor extends Actor {
  protected turn = 0;
  private turnsLeft = 0;

  protected abstract rhythm(): Rhythm;
  /** Session starts per day at peak intensity. */
  protected abstract sessionsPerDay(t: number): number;
  protected abstract sessionLength(): number;
  protected abstract turnGap(): number;
  protected onSession(_t: number): void {}

  protected schedule(after: number): number {
    if (this.turnsLeft > 0) {
      this.turnsLeft--;
      this.turn++;
      return after + Math.max(1, this.turnGap());
    }
    const t = nextArrival(this.rng, this.rhythm(), after + 1, this.sessionsPerDay(after), this.env.end);
    if (t === Infinity) return t;
    this.turnsLeft = Math.max(1, this.sessionLength()) - 1;
    this.turn = 0;
    this.onSession(t);
    return t;
  }
}

/** Model choice, with a share of traffic drifting to the new model over the days after its release. */
export function chooseModel(
  rng: Rng,
  env: Env,
  ts: number,
  weights: Partial<Record<ModelKey, number>>,
  freshMax: number,
): string {
  if (ts >= env.release && rng.chance(Math.min(freshMax, (freshMax * (ts - env.release)) / (3 * DAY))))
    return MODELS.fresh.id;
  const entries = Object.entries(weights) as [ModelKey, number][];
  return MODELS[rng.weighted(entries)].id;
}

export function pickCountry(rng: Rng): string {
  return rng.weighted(USER_COUNTRIES);
}

export function tzOf(country: string): number {
  return COUNTRY_TZ[country] ?? 0;
}

/** A person's connection: home broadband most of the time, a phone otherwise. */
export function personNet(rng: Rng, country: string, client?: Client): NetProfile {
  const c = client ?? (rng.chance(0.5) ? browserClient(rng) : sdkClient(rng));
  if (rng.chance(0.2)) return new NetProfile(rng, rng.pick(blocksIn(BLOCKS.MOBILE, country)), 'mobile', c);
  return new NetProfile(rng, rng.pick(blocksIn(BLOCKS.RESIDENTIAL, country)), 'home', c);
}

/** Country → XQuAD language code, for users who write in their own language. */
const COUNTRY_LANG: Readonly<Record<string, string>> = {
  CN: 'zh',
  SG: 'zh',
  RU: 'ru',
  DE: 'de',
  IN: 'hi',
  PL: 'ru',
};
const langCache = new WeakMap<object, Map<string, string[]>>();

/** Non-English questions for users of a country (empty when the corpora have none in its language). */
export function nativeQuestions(env: Env, country: string): readonly string[] {
  const lang = COUNTRY_LANG[country];
  if (lang === undefined) return [];
  let m = langCache.get(env.corpora);
  if (m === undefined) {
    m = new Map();
    langCache.set(env.corpora, m);
  }
  let list = m.get(lang);
  if (list === undefined) {
    list = env.corpora.multilingual.filter((i) => i.category.startsWith(`${lang}:`)).map((i) => i.text);
    m.set(lang, list);
  }
  return list;
}

/** A bounded multi-turn chat history: old turns drop off, as chat front-ends trim context. */
export class Conversation {
  msgs: SimMessage[] = [];
  private script: readonly string[] = [];

  constructor(
    private readonly env: Env,
    private readonly maxMsgs = 10,
  ) {}

  /** `native` holds questions in the user's own language, when the corpora have it. */
  start(rng: Rng, system?: string, native?: readonly string[]): void {
    this.msgs = system !== undefined ? [{ role: 'system', content: system }] : [];
    const c = this.env.corpora;
    if (native !== undefined && native.length > 0 && rng.chance(0.5)) this.script = [rng.pick(native)];
    else this.script = rng.chance(0.3) ? rng.pick(c.conversations) : [rng.pick(c.chat)];
  }

  /** Adds the next user turn (after a synthetic assistant reply to the previous one) and returns a copy. */
  next(rng: Rng, turn: number, firstText?: string): SimMessage[] {
    const c = this.env.corpora;
    if (turn > 0) {
      const reply = rng.pick(c.assistantReplies);
      this.msgs.push({ role: 'assistant', content: reply.length > 400 ? reply.slice(0, 400) : reply });
    }
    const text =
      turn === 0 && firstText !== undefined
        ? firstText
        : (this.script[turn] ?? (rng.chance(0.6) ? rng.pick(FOLLOW_UPS) : rng.pick(c.chat)));
    this.msgs.push({ role: 'user', content: text });
    const sys = this.msgs[0]?.role === 'system' ? 1 : 0;
    while (this.msgs.length - sys > this.maxMsgs) this.msgs.splice(sys, 2);
    return this.msgs.slice();
  }
}

/** Holds an account that only others act through (reseller, platform): emits its account record, nothing else. */
export class OwnerActor extends Actor {
  protected schedule(): number {
    return Infinity;
  }
  protected request(): never {
    throw new Error('an owner actor sends no requests');
  }
}
