import { accountAge, paymentFp, type Actor, type ActorInit, type Env } from '../actor.js';
import type { Item } from '../corpora.js';
import { NetProfile, type Req, type SimMessage } from '../event.js';
import { MODELS } from '../models.js';
import { BLOCKS, blocksIn, browserClient, sdkClient } from '../network.js';
import type { Rng } from '../rng.js';
import { OwnerActor, SessionActor, tzOf } from '../session.js';
import { DAY, HOUR, STUDENT, type Rhythm } from '../timing.js';
import { fill, FOLLOW_UPS, GRADER_TEMPLATES, fillGrader, STUDENT_ASKS, TUTOR_SYSTEMS } from '../wrappers.js';
import { benignLabel, orgAccount, orgId } from './account.js';

/** A course's homework: a small set of items every student in it asks about. */
function homework(env: Env, rng: Rng, chinese: boolean, size: number): Item[] {
  const c = env.corpora;
  const pool = chinese
    ? c.multilingual.filter((i) => i.category === 'zh:gaokao')
    : rng.chance(0.3)
      ? c.coding.map((text) => ({ text, category: 'coding' }))
      : c.reasoning.filter((i) => i.category.startsWith('math:') || i.category.startsWith('mmlu:'));
  const out: Item[] = [];
  for (let i = 0; i < size; i++) out.push(rng.pick(pool));
  return out;
}

/** A student asking about homework: evenings, short sessions, "explain step by step". */
export class StudentActor extends SessionActor {
  private msgs: SimMessage[] = [];
  private readonly perDay: number;

  constructor(
    init: ActorInit,
    private readonly tz: number,
    private readonly items: readonly Item[],
    private readonly system: string,
    private readonly chinese: boolean,
    private readonly endUser?: string,
  ) {
    super(init);
    this.perDay = Math.min(8, this.rng.lognormal(0.5, 1));
  }
  protected rhythm(): Rhythm {
    return { shape: STUDENT, tz: this.tz, weekend: 0.8 };
  }
  protected sessionsPerDay(): number {
    return this.perDay;
  }
  protected sessionLength(): number {
    return this.rng.int(1, 4);
  }
  protected turnGap(): number {
    return this.rng.lognormal(70_000, 0.7);
  }
  protected request(_ts: number): Req {
    const r = this.rng;
    if (this.turn === 0) {
      const ask = this.chinese ? '这道题怎么做？请一步一步讲解：\n{q}' : r.pick(STUDENT_ASKS);
      this.msgs = [
        { role: 'system', content: this.system },
        { role: 'user', content: fill(ask, r.pick(this.items).text) },
      ];
    } else {
      this.msgs.push({ role: 'assistant', content: r.pick(this.env.corpora.assistantReplies).slice(0, 300) });
      this.msgs.push({
        role: 'user',
        content: this.chinese
          ? r.pick(['还是不太明白，能再解释一下吗？', '谢谢！', '下一步为什么这样做？'])
          : r.pick(FOLLOW_UPS),
      });
    }
    const req: Req = {
      model: r.chance(0.8) ? MODELS.mini.id : MODELS.chat.id,
      messages: this.msgs.slice(),
      params: { temperature: 0.5, stream: true, max_tokens: 1024 },
      outKind: 'reasoning',
      outTokens: r.lognormal(300, 0.5),
    };
    if (this.endUser !== undefined) req.endUser = this.endUser;
    return req;
  }
}

/** The platform itself auto-grading submissions with a rubric, in batches after deadlines. */
export class PlatformGraderActor extends SessionActor {
  protected rhythm(): Rhythm {
    return { shape: STUDENT, tz: this.tz, weekend: 0.5 };
  }
  constructor(
    init: ActorInit<null>,
    private readonly tz: number,
  ) {
    super(init);
  }
  protected sessionsPerDay(): number {
    return 2;
  }
  protected sessionLength(): number {
    return this.rng.int(50, 300);
  }
  protected turnGap(): number {
    return this.rng.exponential(1_500);
  }
  protected request(_ts: number): Req {
    const r = this.rng;
    const pair = r.pick(this.env.corpora.pairs);
    return {
      model: MODELS.mini.id,
      messages: [
        {
          role: 'user',
          content: fillGrader(
            r.pick(GRADER_TEMPLATES.slice(0, 3)),
            pair.prompt.slice(0, 600),
            pair.response.slice(0, 800),
          ),
        },
      ],
      params: {
        temperature: 0,
        max_tokens: 64,
        logprobs: r.chance(0.5),
        ...(r.chance(0.5) ? { top_logprobs: 3 } : {}),
      },
      outKind: 'grade',
      outTokens: r.lognormal(20, 0.5),
    };
  }
}

export function spawnEducation(env: Env, rng: Rng, nextOrder: () => number): Actor[] {
  const out: Actor[] = [];
  const platforms = Math.max(2, Math.round(3 * env.scale));
  for (let p = 0; p < platforms; p++) {
    const chinese = p % 3 === 1;
    const country = chinese ? 'CN' : rng.pick(['US', 'IN', 'GB', 'BR']);
    const tz = tzOf(country);
    const org = orgId(rng);
    const net = new NetProfile(
      rng,
      rng.pick(blocksIn(BLOCKS.DATACENTER, country)),
      'server',
      sdkClient(rng, 'node'),
      6,
    );
    const platform = orgAccount(env, rng, net, 'education_platform', {
      created: accountAge(rng, env, 500, 0.5, 60),
      org,
      email_domain: `${rng.pick(['study', 'tutor', 'learn', 'homework'])}${rng.pick(['hub', 'ly', 'pal', 'path'])}.com`,
      payment_fp: paymentFp(rng),
      tier: 'tier-5',
      verified: true,
      country,
    });
    const { who } = platform;
    out.push(new OwnerActor({ order: nextOrder(), env, ...platform }));
    // The grader jobs run under the platform's own account and label, but its record is the owner's to emit.
    out.push(new PlatformGraderActor({ order: nextOrder(), env, ...platform, account: null }, tz));
    const items = homework(env, rng, chinese, 60);
    const system = chinese ? (TUTOR_SYSTEMS[3] ?? '') : rng.pick(TUTOR_SYSTEMS.slice(0, 3));
    const students = Math.max(20, Math.round(rng.lognormal(300, 0.4) * Math.min(1, env.scale)));
    for (let s = 0; s < students; s++) {
      const endUser = `stu_${rng.hex(10)}`;
      const label = benignLabel(who.account, 'education_student', endUser);
      out.push(
        new StudentActor(
          { order: nextOrder(), env, who, net, label, account: null },
          tz + rng.pick([0, 0, 1, -1]),
          items,
          system,
          chinese,
          endUser,
        ),
      );
    }
  }
  spawnSeats(env, rng, nextOrder, out);
  return out;
}

/**
 * University courses with one seat account per student: created in one burst by the instructor, one
 * invoice, one campus network, the same assignment prompts. The benign twin of a hydra cluster.
 */
function spawnSeats(env: Env, rng: Rng, nextOrder: () => number, out: Actor[]): void {
  const courses = Math.max(1, Math.round(2 * env.scale));
  for (let c = 0; c < courses; c++) {
    const country = rng.pick(['US', 'GB', 'DE', 'CN', 'JP']);
    const block = rng.pick(blocksIn(BLOCKS.UNIVERSITY, country));
    const org = orgId(rng);
    const pay = paymentFp(rng);
    const burst = env.start + rng.range(-20, 0.4 * env.days) * DAY;
    const items = homework(env, rng, country === 'CN', 25);
    const system = rng.pick(TUTOR_SYSTEMS);
    const n = rng.int(40, 120);
    for (let s = 0; s < n; s++) {
      const net = new NetProfile(
        rng,
        block,
        'campus',
        rng.chance(0.7) ? browserClient(rng) : sdkClient(rng, 'python'),
      );
      const seat = orgAccount(env, rng, net, 'education_seat', {
        created: burst + rng.range(0, 2 * HOUR),
        org,
        email_domain: `${['mit', 'ox', 'tum', 'pku', 'u-tokyo'][['US', 'GB', 'DE', 'CN', 'JP'].indexOf(country)] ?? 'uni'}.edu`,
        payment_fp: pay,
        tier: 'edu',
        verified: true,
        country,
      });
      out.push(
        new StudentActor(
          { order: nextOrder(), env, ...seat },
          tzOf(country),
          items,
          system,
          country === 'CN',
        ),
      );
    }
  }
}
