import { accountAge, FREEMAIL, paymentFp, type AccountInfo, type ActorInit, type Env } from '../actor.js';
import type { Req } from '../event.js';
import type { Rng } from '../rng.js';
import {
  chooseModel,
  Conversation,
  nativeQuestions,
  personNet,
  pickCountry,
  SessionActor,
  tzOf,
} from '../session.js';
import { CASUAL, type Rhythm } from '../timing.js';
import { apiKey, benignLabel } from './account.js';

const SYSTEMS = [
  'You are a helpful assistant.',
  'You are a concise assistant. Answer briefly.',
  'You are ChatBuddy, a friendly assistant.',
];

/** Ordinary people chatting: heavy-tailed activity, evening peaks, multi-turn conversations. */
export class ChatActor extends SessionActor {
  private readonly conv: Conversation;
  private readonly perDay: number;
  private readonly tz: number;
  private readonly system: string | undefined;
  private readonly stream: boolean;
  private readonly maxTokens: number | undefined;
  private readonly native: readonly string[];
  private readonly topP: number | undefined;

  constructor(
    init: ActorInit,
    country: string,
    private readonly endUser?: string,
  ) {
    super(init);
    const r = this.rng;
    this.conv = new Conversation(this.env);
    // Heavy tail: most people chat a few times a week, a few all day long.
    this.perDay = Math.min(40, r.lognormal(0.75, 1.3));
    this.tz = tzOf(country) + r.pick([-1, 0, 0, 0, 1]);
    this.system = r.chance(0.4) ? r.pick(SYSTEMS) : undefined;
    this.stream = r.chance(0.7);
    this.maxTokens = r.chance(0.5) ? r.pick([512, 1024, 2048, 4096]) : undefined;
    // Some users write in their own language (Chinese among them): language alone is no attack signal.
    this.native = r.chance(0.6) ? nativeQuestions(this.env, country) : [];
    this.topP = r.chance(0.2) ? r.pick([0.9, 0.95, 1]) : undefined;
  }

  protected rhythm(): Rhythm {
    return { shape: CASUAL, tz: this.tz, weekend: 1.15 };
  }
  protected sessionsPerDay(): number {
    return this.perDay;
  }
  protected sessionLength(): number {
    return 1 + Math.floor(this.rng.exponential(2.5));
  }
  protected turnGap(): number {
    return this.rng.lognormal(50_000, 0.8);
  }
  protected override onSession(): void {
    this.conv.start(this.rng, this.system, this.native);
  }

  protected request(ts: number): Req {
    const r = this.rng;
    const model = chooseModel(r, this.env, ts, { chat: 65, mini: 22, reason: 13 }, 0.3);
    const req: Req = {
      model,
      messages: this.conv.next(r, this.turn),
      params: {
        temperature: r.pick([0.7, 1, 1, 0.8]),
        ...(this.topP !== undefined ? { top_p: this.topP } : {}),
        stream: this.stream,
        ...(this.maxTokens !== undefined ? { max_tokens: this.maxTokens } : {}),
      },
      outKind: 'chat',
      outTokens: r.lognormal(260, 0.7),
    };
    if (this.endUser !== undefined) req.endUser = this.endUser;
    return req;
  }
}

export function spawnCasual(env: Env, rng: Rng, nextOrder: () => number): ChatActor[] {
  const n = Math.round(2500 * env.scale);
  const out: ChatActor[] = [];
  for (let i = 0; i < n; i++) {
    const country = pickCountry(rng);
    const account = env.ids.next('acct');
    const fresh = rng.chance(0.04);
    const created = fresh
      ? env.start + rng.next() * (env.end - env.start) * 0.9
      : accountAge(rng, env, 240, 1.1);
    const net = personNet(rng, country);
    const info: AccountInfo = {
      created,
      email_domain: rng.pick(
        country === 'CN'
          ? ['qq.com', '163.com', 'gmail.com']
          : ['gmail.com', 'gmail.com', 'outlook.com', ...FREEMAIL],
      ),
      payment_fp: paymentFp(rng),
      tier: rng.weighted([
        ['free', 5],
        ['tier-1', 4],
        ['tier-2', 2],
        ['tier-3', 0.5],
      ]),
      verified: false,
      country,
      signup_ip: net.next().ip,
    };
    const who = { account, key: apiKey(rng) };
    out.push(
      new ChatActor(
        { order: nextOrder(), env, who, net, label: benignLabel(account, 'casual_chat'), account: info },
        country,
      ),
    );
  }
  return out;
}
