import type { Env } from '../../actor.js';
import type { Req, SimMessage } from '../../event.js';
import { MODELS } from '../../models.js';
import { CODING_TOOLS } from '../coding.js';
import type { Rng } from '../../rng.js';
import { HOUR } from '../../timing.js';
import { COVERAGE_TEMPLATES, fill, fillGrader, GRADER_TEMPLATES } from '../../wrappers.js';
import { AttackActor } from './base.js';

const AGENT_SYSTEMS = [
  'You are an autonomous agent. Use the available tools to complete the task. Think step by step and explain each tool call.',
  'You are a tool-using assistant. Before every call, write your full reasoning about which tool to use and why.',
  'Solve the task with the tools provided. Narrate your plan, each observation and your conclusions in detail.',
];

/** The model an extractor targets: the strongest reasoning model, the new one as soon as it exists. */
function targetModel(env: Env, ts: number): string {
  return ts >= env.release ? MODELS.fresh.id : MODELS.reason.id;
}

/**
 * Extractors ask for the longest completions: the model's cap, or a large fixed value. Evasive ones often
 * leave `max_tokens` out, as most ordinary clients do.
 */
function capParam(r: Rng, e: number, large: readonly number[]): { max_tokens?: number } {
  if (r.chance(0.5 * e)) return {};
  return { max_tokens: r.chance(0.7 - 0.4 * e) ? MODELS.fresh.maxOutput : r.pick(large) };
}

/** Reasoning-trace harvesting: chain-of-thought elicitation at the output cap, several languages. */
export class HarvestActor extends AttackActor {
  protected attack(ts: number): Req {
    const r = this.rng;
    const e = this.kit.evasion;
    const h = this.harvestText();
    const model = r.chance(0.85) ? targetModel(this.env, ts) : MODELS.chat.id;
    return {
      model,
      messages: [{ role: 'user', content: h.text }],
      params: {
        temperature: r.pick([0.6, 0.7, 1]),
        ...capParam(r, e, [8192, 16384, 32768]),
        ...(r.chance(0.25 * (1 - e)) ? { n: 4 } : {}),
        ...(model !== MODELS.chat.id ? { reasoning_effort: 'high' } : {}),
        ...(h.json ? { response_format: { type: 'json_object' } } : {}),
      },
      outKind: h.json ? 'json_reasoning' : h.zh ? 'reasoning_zh' : 'reasoning',
      outTokens: r.lognormal(1800, 0.5),
      rateLimited: 0.02,
    };
  }
}

/** Agentic and tool-use trajectory extraction: short, complete tool sessions over many different APIs. */
export class AgenticActor extends AttackActor {
  private msgs: SimMessage[] = [];
  private tools: unknown[] = [];
  private stepsLeft = 0;

  private newTask(): void {
    const r = this.rng;
    const c = this.env.corpora;
    if (r.chance(0.4)) {
      // Agentic coding trajectories: the same tools a coding agent has, a fresh task every few steps.
      this.tools = CODING_TOOLS.slice();
      this.msgs = [
        { role: 'system', content: r.pick(AGENT_SYSTEMS) },
        { role: 'user', content: r.pick(c.coding) },
      ];
      this.stepsLeft = r.int(3, 8);
      return;
    }
    const api = r.pick(c.toolApis);
    this.tools = api.functions.slice(0, 8).map((f) => ({
      type: 'function',
      function: { name: f.name, description: f.description, parameters: { type: 'object', properties: {} } },
    }));
    const task =
      r.chance(0.5) && api.instructions.length > 0 ? r.pick(api.instructions) : r.pick(c.agentTasks);
    this.msgs = [
      { role: 'system', content: r.pick(AGENT_SYSTEMS) },
      { role: 'user', content: task },
    ];
    this.stepsLeft = r.int(3, 8);
  }

  protected attack(ts: number): Req {
    const r = this.rng;
    if (this.stepsLeft <= 0) this.newTask();
    else {
      const id = `call_${r.hex(20)}`;
      const f =
        this.tools.length > 0
          ? (r.pick(this.tools) as { function: { name: string } }).function.name
          : 'search';
      this.msgs.push({
        role: 'assistant',
        content: null,
        tool_calls: [{ id, type: 'function', function: { name: f, arguments: '{}' } }],
      });
      this.msgs.push({
        role: 'tool',
        tool_call_id: id,
        content: JSON.stringify({ status: 'ok', results: [r.pick(this.env.corpora.catalogue).text] }),
      });
    }
    this.stepsLeft--;
    return {
      model: targetModel(this.env, ts),
      messages: this.msgs.slice(),
      tools: this.tools,
      params: {
        temperature: r.pick([0.3, 0.7]),
        top_p: 0.95,
        ...capParam(r, this.kit.evasion, [8192, 16384]),
        reasoning_effort: 'high',
      },
      outKind: this.stepsLeft > 0 ? 'tool_call' : 'summary',
      outTokens: r.lognormal(600, 0.5),
      rateLimited: 0.02,
    };
  }
}

/** The model as a grader / reward model: rubric prompts, tiny outputs, log-probabilities requested. */
export class GraderActor extends AttackActor {
  protected attack(ts: number): Req {
    const r = this.rng;
    const e = this.kit.evasion;
    const pair = r.pick(this.env.corpora.pairs);
    const t = r.pick(this.kit.templates.length > 0 ? this.kit.templates : GRADER_TEMPLATES);
    const lp = r.chance(1 - 0.5 * e);
    // Log-probabilities come from the non-reasoning models; reasoning models get room to think.
    const reasoning = r.chance(0.35);
    return {
      model: reasoning ? targetModel(this.env, ts) : r.chance(0.7) ? MODELS.chat.id : MODELS.mini.id,
      messages: [
        { role: 'user', content: fillGrader(t, pair.prompt.slice(0, 800), pair.response.slice(0, 1200)) },
      ],
      params: reasoning
        ? { temperature: 0, max_tokens: 4096, reasoning_effort: 'low' }
        : {
            temperature: 0,
            max_tokens: r.pick([1, 4, 16]),
            ...(lp ? { logprobs: true, top_logprobs: r.pick([5, 10, 20]) } : {}),
          },
      outKind: 'grade',
      outTokens: r.lognormal(4, 0.4),
      rateLimited: 0.02,
    };
  }
}

const COVER_CATS = [
  'chat',
  'coding',
  'bbh',
  'math',
  'mmlu',
  'agieval',
  'zh',
  'xquad',
  'tools',
  'enterprise',
  'roleplay',
] as const;

/** Capability-coverage sweeps: round-robin over task categories, long expert answers at the cap. */
export class CoverageActor extends AttackActor {
  private cursor = this.rng.int(0, COVER_CATS.length - 1);

  private itemFor(cat: (typeof COVER_CATS)[number]): string {
    const r = this.rng;
    const c = this.env.corpora;
    switch (cat) {
      case 'chat':
      case 'roleplay':
        return r.pick(c.chat);
      case 'coding':
        return r.pick(c.coding);
      case 'tools':
        return r.pick(c.agentTasks);
      case 'enterprise':
        return r.pick(c.enterprise).text;
      case 'zh':
      case 'xquad':
        return r.pick(c.multilingual).text;
      case 'bbh':
      case 'math':
      case 'mmlu':
      case 'agieval':
        return r.pick(c.reasoning).text;
    }
  }

  protected attack(ts: number): Req {
    const r = this.rng;
    const cat = COVER_CATS[this.cursor++ % COVER_CATS.length] ?? 'chat';
    const q = this.itemFor(cat);
    const text = r.chance(this.kit.evasion)
      ? q
      : fill(r.pick(this.kit.templates.length > 0 ? this.kit.templates : COVERAGE_TEMPLATES), q);
    return {
      model: r.chance(0.7) ? targetModel(this.env, ts) : MODELS.chat.id,
      messages: [{ role: 'user', content: text }],
      params: { temperature: 0.7, ...capParam(r, this.kit.evasion, [4096, 16384]) },
      outKind: 'chat',
      outTokens: r.lognormal(1500, 0.5),
      rateLimited: 0.02,
    };
  }
}

/** Moves most of its traffic to the new model within hours of its release, and speeds up. */
export class PivotActor extends HarvestActor {
  private readonly lag: number;
  constructor(...args: ConstructorParameters<typeof HarvestActor>) {
    super(...args);
    this.lag = Math.min(20 * HOUR, this.rng.lognormal(3 * HOUR, 0.7));
  }
  protected override rate(t: number): number {
    return t >= this.env.release + this.lag ? this.plan.perDay * 2.5 : this.plan.perDay;
  }
  protected override attack(ts: number): Req {
    const req = super.attack(ts);
    const pivoted = ts >= this.env.release + this.lag;
    const share = 0.9 - 0.25 * this.kit.evasion;
    req.model = pivoted
      ? this.rng.chance(share)
        ? MODELS.fresh.id
        : MODELS.reason.id
      : this.rng.chance(0.6)
        ? MODELS.reason.id
        : MODELS.chat.id;
    return req;
  }
}
