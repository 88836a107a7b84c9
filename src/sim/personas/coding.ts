import {
  accountAge,
  companyDomain,
  companyName,
  FREEMAIL,
  paymentFp,
  type AccountInfo,
  type ActorInit,
  type Env,
} from '../actor.js';
import { NetProfile, type Identity, type Req, type SimMessage } from '../event.js';
import { agentClient, BLOCKS, blocksIn, corporateBlock, scriptClient, sdkClient } from '../network.js';
import type { Rng } from '../rng.js';
import { chooseModel, personNet, pickCountry, SessionActor, tzOf } from '../session.js';
import { estimateTokens } from '../text.js';
import { FLAT, WORK, type Rhythm } from '../timing.js';
import { apiKey, benignLabel, orgAccount, orgId } from './account.js';

const fn = (name: string, description: string, props: Record<string, string>): unknown => ({
  type: 'function',
  function: {
    name,
    description,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(Object.entries(props).map(([k, t]) => [k, { type: t }])),
      required: Object.keys(props),
    },
  },
});

export const CODING_TOOLS: readonly unknown[] = [
  fn('read_file', 'Read a file from the workspace', { path: 'string' }),
  fn('write_file', 'Write content to a file in the workspace', { path: 'string', content: 'string' }),
  fn('run_command', 'Run a shell command in the repository root and return its output', {
    command: 'string',
  }),
  fn('search_code', 'Search the repository for a regular expression', { pattern: 'string' }),
  fn('list_dir', 'List the files in a directory', { path: 'string' }),
  fn('apply_patch', 'Apply a unified diff to the workspace', { patch: 'string' }),
];

const AGENT_SYSTEMS = [
  "You are an expert software engineer working in the user's repository. Use the tools to inspect and edit files. Make minimal, correct changes and run the tests.",
  'You are a coding assistant inside the editor. Prefer small diffs. Explain briefly what you changed.',
  'You are an autonomous coding agent. Plan, then act with tools until the task is done. Never invent file contents; read them first.',
];

const COMMANDS = [
  'npm test',
  'pytest -q',
  'cargo test',
  'go test ./...',
  'git status',
  'git diff',
  'ls src',
  'npm run build',
  'make lint',
];
const FILES = [
  'src/index.ts',
  'src/utils.py',
  'app/models.py',
  'lib/parser.go',
  'src/main.rs',
  'tests/test_api.py',
  'package.json',
  'README.md',
];

/** Developers driving coding agents: tool loops with a growing, cached context during working hours. */
export class CodingAgentActor extends SessionActor {
  private msgs: SimMessage[] = [];
  private ctxTokens = 0;
  private readonly tools: unknown[];
  private readonly toolTokens: number;
  private readonly perDay: number;
  private readonly tz: number;

  constructor(init: ActorInit<AccountInfo>, country: string) {
    super(init);
    const r = this.rng;
    this.tools = CODING_TOOLS.filter(() => r.chance(0.75));
    if (this.tools.length === 0) this.tools.push(CODING_TOOLS[0]);
    this.toolTokens = estimateTokens(JSON.stringify(this.tools));
    this.perDay = Math.min(25, r.lognormal(2.5, 0.9));
    this.tz = tzOf(country);
  }

  protected rhythm(): Rhythm {
    return { shape: WORK, tz: this.tz, weekend: 0.3 };
  }
  protected sessionsPerDay(): number {
    return this.perDay;
  }
  protected sessionLength(): number {
    return Math.round(this.rng.lognormal(10, 0.7));
  }
  protected turnGap(): number {
    // Mostly the agent loop (model latency + tool run); now and then a human reads and replies.
    return this.rng.chance(0.85) ? this.rng.lognormal(9_000, 0.6) : this.rng.lognormal(90_000, 0.8);
  }
  protected override onSession(): void {
    const r = this.rng;
    this.msgs = [
      { role: 'system', content: r.pick(AGENT_SYSTEMS) },
      { role: 'user', content: r.pick(this.env.corpora.coding) },
    ];
    this.ctxTokens = this.msgs.reduce((a, m) => a + estimateTokens(m.content ?? ''), 0);
  }

  private push(m: SimMessage): void {
    this.msgs.push(m);
    this.ctxTokens += 4 + estimateTokens(m.content ?? '') + (m.tool_calls ? 20 : 0);
    // Agents compact history past a budget: drop the oldest tool exchange, keep system + task.
    while (this.msgs.length > 12) {
      const [gone] = this.msgs.splice(2, 2);
      this.ctxTokens -= 24 + estimateTokens(gone?.content ?? '');
    }
  }

  protected request(ts: number): Req {
    const r = this.rng;
    const cached =
      this.turn > 0
        ? Math.round((this.ctxTokens + this.toolTokens) * r.range(0.8, 0.97))
        : r.chance(0.5)
          ? this.toolTokens
          : 0;
    if (this.turn > 0) {
      const id = `call_${r.hex(20)}`;
      const tool = r.pick(['read_file', 'run_command', 'search_code', 'apply_patch']);
      const arg = tool === 'run_command' ? { command: r.pick(COMMANDS) } : { path: r.pick(FILES) };
      this.push({
        role: 'assistant',
        content: null,
        tool_calls: [{ id, type: 'function', function: { name: tool, arguments: JSON.stringify(arg) } }],
      });
      const result =
        tool === 'run_command'
          ? `$ ${arg.command}\n${r.chance(0.6) ? 'All tests passed.' : 'FAILED tests/test_api.py::test_parse - AssertionError'}`
          : r.pick(this.env.corpora.pairs).response.slice(0, 400);
      this.push({ role: 'tool', tool_call_id: id, content: result });
    }
    return {
      model: chooseModel(r, this.env, ts, { code: 60, chat: 20, reason: 20 }, 0.25),
      messages: this.msgs.slice(),
      tools: this.tools,
      params: { temperature: r.pick([0, 0.2, 0.2]), stream: true, max_tokens: r.pick([4096, 8192]) },
      outKind: r.chance(0.75) ? 'tool_call' : 'code',
      outTokens: r.lognormal(220, 0.8),
      cachedTokens: cached,
    };
  }
}

const CI_TASKS = [
  'Review the following change and list any bugs, security problems or missing tests. Be concise.\n\n{q}',
  'Write unit tests for this code:\n\n{q}',
  'Summarise what this change does for the release notes:\n\n{q}',
  'The CI job failed. Suggest the most likely cause given the task description:\n\n{q}',
];

/** CI bots: code review and test generation on every push, around the clock, from CI runners. */
export class CiBotActor extends SessionActor {
  private readonly perDay: number;
  private readonly task: string;

  constructor(init: ActorInit<AccountInfo>) {
    super(init);
    this.perDay = Math.min(120, this.rng.lognormal(12, 0.8));
    this.task = this.rng.pick(CI_TASKS);
  }
  protected rhythm(): Rhythm {
    return { shape: FLAT, tz: 0, weekend: 0.6 };
  }
  protected sessionsPerDay(): number {
    return this.perDay;
  }
  protected sessionLength(): number {
    return this.rng.int(2, 12);
  }
  protected turnGap(): number {
    return this.rng.lognormal(2_500, 0.7);
  }
  protected request(ts: number): Req {
    const r = this.rng;
    const c = this.env.corpora;
    const q = r.chance(0.5) ? r.pick(c.pairs).response.slice(0, 1500) : r.pick(c.coding);
    return {
      model: chooseModel(r, this.env, ts, { code: 70, chat: 30 }, 0.1),
      messages: [
        { role: 'system', content: 'You are a CI assistant. Output GitHub-flavoured markdown.' },
        { role: 'user', content: this.task.replace('{q}', q) },
      ],
      params: { temperature: 0, max_tokens: 2048 },
      outKind: 'code',
      outTokens: r.lognormal(350, 0.6),
      rateLimited: 0.01,
    };
  }
}

export function spawnCoding(env: Env, rng: Rng, nextOrder: () => number): SessionActor[] {
  const out: SessionActor[] = [];
  const n = Math.round(300 * env.scale);
  let team: { org: string; domain: string; pay: string; net: NetProfile | null; left: number } | null = null;
  for (let i = 0; i < n; i++) {
    const country = pickCountry(rng);
    if ((team === null || team.left <= 0) && rng.chance(0.4)) {
      const name = companyName(rng);
      team = {
        org: orgId(rng),
        domain: companyDomain(rng, name),
        pay: paymentFp(rng),
        net: null,
        left: rng.int(2, 12),
      };
      team.net = new NetProfile(rng, corporateBlock(rng, country), 'server', agentClient(rng), 30);
    }
    const inTeam = team !== null && team.left > 0;
    const account = env.ids.next('acct');
    const net = inTeam && team?.net && rng.chance(0.6) ? team.net : personNet(rng, country, agentClient(rng));
    const info: AccountInfo = {
      created: accountAge(rng, env, 300, 0.9),
      ...(inTeam && team ? { org: team.org } : {}),
      email_domain: inTeam && team ? team.domain : rng.pick(FREEMAIL),
      payment_fp: inTeam && team ? team.pay : paymentFp(rng),
      tier: rng.weighted([
        ['tier-2', 3],
        ['tier-3', 3],
        ['tier-4', 2],
      ]),
      verified: inTeam,
      country,
      signup_ip: net.next().ip,
    };
    if (inTeam && team) team.left--;
    const who: Identity = {
      account,
      key: apiKey(rng),
      ...(info.org !== undefined ? { org: info.org } : {}),
    };
    const label = benignLabel(account, 'coding_agent');
    out.push(new CodingAgentActor({ order: nextOrder(), env, who, net, label, account: info }, country));
  }
  const bots = Math.max(2, Math.round(20 * env.scale));
  for (let i = 0; i < bots; i++) {
    const org = orgId(rng);
    const block = rng.pick(
      blocksIn(BLOCKS.DATACENTER, 'US').filter((b) => b.asn === 8075 || b.asn === 16509),
    );
    const net = new NetProfile(rng, block, 'campus', rng.chance(0.5) ? sdkClient(rng) : scriptClient(rng));
    const bot = orgAccount(env, rng, net, 'ci_bot', {
      created: accountAge(rng, env, 400, 0.7, 30),
      org,
      email_domain: companyDomain(rng, companyName(rng)),
      payment_fp: paymentFp(rng),
      tier: 'tier-4',
      verified: true,
      country: 'US',
    });
    out.push(new CiBotActor({ order: nextOrder(), env, ...bot }));
  }
  return out;
}
