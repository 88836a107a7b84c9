import {
  Actor,
  accountAge,
  companyDomain,
  companyName,
  paymentFp,
  type AccountInfo,
  type ActorInit,
  type Env,
} from '../actor.js';
import type { Item } from '../corpora.js';
import { NetProfile, type Req } from '../event.js';
import { MODELS } from '../models.js';
import { BLOCKS, blocksIn, corporateBlock, sdkClient } from '../network.js';
import type { Rng } from '../rng.js';
import { chooseModel, Conversation, tzOf } from '../session.js';
import { DAY, HOUR, nextArrival, WORK } from '../timing.js';
import { EVAL_TEMPLATES, fill } from '../wrappers.js';
import { orgAccount, orgId } from './account.js';

const ENTERPRISE_TEMPLATES = [
  'Classify the customer message into exactly one of the following intents: {labels}. Respond with the intent name only.\n\nMessage: "{q}"',
  'You are a support-ticket router for {company}. Return JSON with keys "intent" (one of: {labels}), "urgency" (low|medium|high) and "language".\n\nTicket: {q}',
  "Summarise the customer's request in one sentence, then tag it with one category from: {labels}.\n\nCustomer: {q}",
];

/** A company's own pipeline: one fixed template over its own data, nightly or in business hours, huge volume. */
export class EnterpriseActor extends Actor {
  private runLeft = 0;
  private gapMean = 0;
  private readonly template: string;
  private readonly items: readonly Item[];
  private readonly nightly: boolean;
  private readonly volume: number;
  private readonly tz: number;
  private readonly model: string;
  /** Old integrations still call the legacy completions endpoint with a bare prompt. */
  private readonly legacy: boolean;

  constructor(init: ActorInit<AccountInfo>, company: string) {
    super(init);
    const { env, account } = init;
    const r = this.rng;
    const source = r.pick(['banking:', 'clinc:', 'nlupp:']);
    this.items = env.corpora.enterprise.filter((i) => i.category.startsWith(source));
    const labels = [...new Set(this.items.map((i) => i.category.split(':')[1] ?? ''))].slice(
      0,
      r.int(12, 30),
    );
    this.template = r
      .pick(ENTERPRISE_TEMPLATES)
      .replace('{labels}', labels.join(', '))
      .replace('{company}', company);
    this.nightly = r.chance(0.55);
    // Below scale 1 the number of companies stops shrinking, so their volume shrinks instead.
    this.volume = (this.nightly ? r.lognormal(2000, 0.6) : r.lognormal(2600, 0.6)) * Math.min(1, env.scale);
    this.tz = tzOf(account.country);
    this.model = r.chance(0.7) ? MODELS.mini.id : MODELS.chat.id;
    this.legacy = r.chance(0.25);
  }

  protected schedule(after: number): number {
    const r = this.rng;
    if (!this.nightly)
      return nextArrival(
        r,
        { shape: WORK, tz: this.tz, weekend: 0.35 },
        after + 1,
        this.volume,
        this.env.end,
      );
    if (this.runLeft > 0) {
      this.runLeft--;
      return after + r.exponential(this.gapMean);
    }
    // Next 01:00 local, plus the scheduler's jitter.
    let t = Math.floor((after + this.tz * HOUR) / DAY) * DAY - this.tz * HOUR + HOUR;
    while (t <= after) t += DAY;
    const n = Math.max(50, Math.round(this.volume * r.lognormal(1, 0.25)));
    this.runLeft = n - 1;
    this.gapMean = (3.5 * HOUR) / n;
    return t + r.range(0, 20 * 60_000);
  }

  protected request(_ts: number): Req {
    const r = this.rng;
    const item = r.pick(this.items);
    return {
      model: this.model,
      ...(this.legacy
        ? { endpoint: '/v1/completions', prompt: `${this.template.replace('{q}', item.text)}\n\nAnswer:` }
        : { messages: [{ role: 'user' as const, content: this.template.replace('{q}', item.text) }] }),
      params: { temperature: 0, max_tokens: r.pick([16, 64, 128]) },
      outKind: 'label',
      label: item.category.split(':')[1] ?? 'other',
      outTokens: r.lognormal(6, 0.4),
      rateLimited: 0.01,
    };
  }
}

const BENCHES = ['bbh:', 'math:', 'mmlu:', 'agieval:'] as const;
const benchCache = new WeakMap<readonly Item[], Map<string, Item[]>>();

function benchItems(env: Env, prefix: string): Item[] {
  let m = benchCache.get(env.corpora.reasoning);
  if (m === undefined) {
    m = new Map();
    benchCache.set(env.corpora.reasoning, m);
  }
  let list = m.get(prefix);
  if (list === undefined) {
    list = env.corpora.reasoning.filter((i) => i.category.startsWith(prefix));
    m.set(prefix, list);
  }
  return list;
}

interface Sweep {
  at: number;
  model: string;
  bench: string;
  size: number;
}

/** Evaluation researchers: light manual use, and benchmark sweeps with chain-of-thought, right after a release. */
export class ResearcherActor extends Actor {
  private readonly sweeps: Sweep[] = [];
  private current: { sweep: Sweep; left: number; pos: number; items: Item[]; template: string } | null = null;
  private readonly conv: Conversation;
  private readonly tz: number;
  private readonly logprobs: boolean;

  constructor(init: ActorInit<AccountInfo>) {
    super(init);
    const { env, account } = init;
    const r = this.rng;
    this.conv = new Conversation(env, 6);
    this.tz = tzOf(account.country);
    this.logprobs = r.chance(0.35);
    // Below scale 1 the number of labs stops shrinking, so sweeps shrink instead.
    const k = Math.min(1, env.scale);
    const size = (lo: number, hi: number): number => Math.max(20, Math.round(r.int(lo, hi) * k));
    if (r.chance(0.5))
      this.sweeps.push({
        at: env.start + r.range(0.05, 0.3) * (env.end - env.start),
        model: MODELS.reason.id,
        bench: r.pick(BENCHES),
        size: size(300, 1200),
      });
    const first = env.release + r.lognormal(2.5 * HOUR, 0.6);
    this.sweeps.push({ at: first, model: MODELS.fresh.id, bench: r.pick(BENCHES), size: size(800, 3000) });
    this.sweeps.push({
      at: first + r.range(4, 30) * HOUR,
      model: r.chance(0.5) ? MODELS.fresh.id : MODELS.reason.id,
      bench: r.pick(BENCHES),
      size: size(500, 2000),
    });
  }

  protected schedule(after: number): number {
    const r = this.rng;
    if (this.current !== null && this.current.left > 0) return after + r.exponential(220);
    this.current = null;
    const manual = nextArrival(r, { shape: WORK, tz: this.tz, weekend: 0.2 }, after + 1, 6, this.env.end);
    const next = this.sweeps[0];
    if (next !== undefined && next.at <= manual) {
      this.sweeps.shift();
      const items = benchItems(this.env, next.bench);
      this.current = {
        sweep: next,
        left: next.size,
        pos: r.int(0, items.length - 1),
        items,
        template: r.pick(EVAL_TEMPLATES),
      };
      return Math.max(after + 1, next.at);
    }
    this.conv.start(r);
    return manual;
  }

  protected request(ts: number): Req {
    const r = this.rng;
    const cur = this.current;
    if (cur === null) {
      return {
        model: chooseModel(r, this.env, ts, { reason: 50, chat: 50 }, 0.5),
        messages: this.conv.next(r, 0, r.chance(0.5) ? r.pick(this.env.corpora.reasoning).text : undefined),
        params: { temperature: 0.7 },
        outKind: 'chat',
        outTokens: r.lognormal(300, 0.7),
      };
    }
    cur.left--;
    const item = cur.items[cur.pos % cur.items.length] ?? cur.items[0];
    cur.pos++;
    const reasoning = cur.sweep.model === MODELS.fresh.id || cur.sweep.model === MODELS.reason.id;
    return {
      model: cur.sweep.model,
      messages: [{ role: 'user', content: fill(cur.template, item?.text ?? '') }],
      params: {
        temperature: 0,
        max_tokens: r.pick([2048, 4096]),
        ...(this.logprobs ? { logprobs: true, top_logprobs: 5 } : {}),
        ...(reasoning ? { reasoning_effort: 'high' } : {}),
      },
      outKind: 'reasoning',
      outTokens: r.lognormal(450, 0.6),
      rateLimited: 0.04,
    };
  }
}

const LABS = [
  { domain: 'cs.stanford.edu', country: 'US' },
  { domain: 'ox.ac.uk', country: 'GB' },
  { domain: 'tsinghua.edu.cn', country: 'CN' },
  { domain: 'evals-institute.org', country: 'US' },
  { domain: 'mpi-inf.mpg.de', country: 'DE' },
  { domain: 'u-tokyo.ac.jp', country: 'JP' },
];

export function spawnOrgs(env: Env, rng: Rng, nextOrder: () => number): Actor[] {
  const out: Actor[] = [];
  const companies = Math.max(3, Math.round(5 * env.scale));
  for (let i = 0; i < companies; i++) {
    const country = rng.weighted([
      ['US', 5],
      ['DE', 2],
      ['GB', 2],
      ['IN', 1],
      ['JP', 1],
    ]);
    const name = companyName(rng);
    const org = orgId(rng);
    const block = rng.chance(0.5)
      ? corporateBlock(rng, country)
      : rng.pick(blocksIn(BLOCKS.DATACENTER, country));
    const net = new NetProfile(rng, block, 'server', sdkClient(rng, 'python'), 4);
    const company = orgAccount(env, rng, net, 'enterprise_batch', {
      created: accountAge(rng, env, 700, 0.5, 120),
      org,
      email_domain: companyDomain(rng, name),
      payment_fp: paymentFp(rng),
      tier: 'enterprise',
      verified: true,
      country,
    });
    out.push(new EnterpriseActor({ order: nextOrder(), env, ...company }, name));
  }
  const labs = Math.max(2, Math.round(2 * env.scale));
  for (let i = 0; i < labs; i++) {
    const lab = LABS[i % LABS.length] ?? LABS[0];
    if (lab === undefined) break;
    const org = orgId(rng);
    const pay = paymentFp(rng);
    const members = rng.int(2, 3);
    for (let j = 0; j < members; j++) {
      const block = rng.chance(0.5)
        ? rng.pick(blocksIn(BLOCKS.UNIVERSITY, lab.country))
        : rng.pick(blocksIn(BLOCKS.DATACENTER, lab.country));
      const net = new NetProfile(
        rng,
        block,
        block.kind === 'university' ? 'campus' : 'server',
        sdkClient(rng, 'python'),
        3,
      );
      const member = orgAccount(env, rng, net, 'eval_researcher', {
        created: accountAge(rng, env, 500, 0.5, 60),
        org,
        email_domain: lab.domain,
        payment_fp: pay,
        tier: 'tier-5',
        verified: true,
        country: lab.country,
      });
      out.push(new ResearcherActor({ order: nextOrder(), env, ...member }));
    }
  }
  return out;
}
