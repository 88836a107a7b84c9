import { Rng } from './rng.js';
import { BLOCKS, blocksIn, ipIn, type Block, type Client } from './network.js';
import { modelInfo } from './models.js';
import { estimateTokens, synthOutput, type OutKind } from './text.js';

/** A chat message as the simulator writes it (a subset of the domain `Message`). */
export interface SimMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_call_id?: string;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
}

export interface Params {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  n?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  reasoning_effort?: string;
  stream?: boolean;
  response_format?: { type: string };
}

/** One request an actor wants to send; the builder fills usage, output, status and latency around it. */
export interface Req {
  model: string;
  endpoint?: string;
  messages?: SimMessage[];
  prompt?: string;
  tools?: unknown[] | number;
  params: Params;
  outKind: OutKind;
  /** Length the completion would have without a cap. */
  outTokens: number;
  label?: string;
  cachedTokens?: number;
  endUser?: string;
  /** Extra 429 probability (bursty clients hit rate limits more). */
  rateLimited?: number;
}

/** How an account reaches the API: address behaviour plus its client stack. */
export class NetProfile {
  private third: number;
  private fourth: number;
  /** Own stream, seeded from the spawner's, so address draws do not disturb anyone else's randomness. */
  private readonly rng: Rng;
  private exit: { ip: string; asn: number; country: string } | null = null;

  constructor(
    spawn: Rng,
    readonly block: Block,
    readonly mode: 'home' | 'mobile' | 'server' | 'campus' | 'proxy',
    readonly client: Client,
    private readonly hosts = 1,
    private readonly proxyCountry?: string,
  ) {
    this.rng = new Rng(spawn.nextU32(), spawn.nextU32());
    this.third = this.rng.int(0, 255);
    this.fourth = this.rng.int(2, 250 - hosts);
  }

  /** Address for the next request; also returns the ASN and country that go with it. */
  next(): { ip: string; asn: number; country: string } {
    const r = this.rng;
    switch (this.mode) {
      case 'home':
        if (r.chance(0.01)) this.fourth = r.int(2, 250);
        return {
          ip: ipIn(this.block, this.third, this.fourth),
          asn: this.block.asn,
          country: this.block.country,
        };
      case 'mobile':
      case 'campus':
        if (r.chance(0.25)) {
          this.third = r.int(0, 255);
          this.fourth = r.int(1, 254);
        }
        return {
          ip: ipIn(this.block, this.third, this.fourth),
          asn: this.block.asn,
          country: this.block.country,
        };
      case 'server':
        return {
          ip: ipIn(this.block, this.third, this.fourth + r.int(0, this.hosts - 1)),
          asn: this.block.asn,
          country: this.block.country,
        };
      case 'proxy': {
        // Residential proxies with sticky sessions: an exit household is kept for a handful of requests,
        // mostly in the country the account claims.
        if (this.exit === null || r.chance(0.15)) {
          const list =
            this.proxyCountry !== undefined && r.chance(0.85)
              ? blocksIn(BLOCKS.RESIDENTIAL, this.proxyCountry)
              : BLOCKS.RESIDENTIAL;
          const blk = r.pick(list);
          this.exit = { ip: ipIn(blk, r.int(0, 255), r.int(1, 254)), asn: blk.asn, country: blk.country };
        }
        return this.exit;
      }
    }
  }
}

export interface Identity {
  readonly account: string;
  readonly org?: string;
  readonly key: string;
}

function messagesTokens(msgs: readonly SimMessage[]): number {
  let t = 3;
  for (const m of msgs) {
    t += 4 + (m.content === null ? 0 : estimateTokens(m.content));
    if (m.tool_calls) for (const c of m.tool_calls) t += 8 + estimateTokens(c.function.arguments);
  }
  return t;
}

const toolTokenCache = new WeakMap<unknown[], number>();

/** Tool definitions are usually the same array for a whole session, so their count is cached. */
function toolsTokens(tools: unknown[] | number | undefined): number {
  if (tools === undefined) return 0;
  if (typeof tools === 'number') return tools * 120;
  let t = toolTokenCache.get(tools);
  if (t === undefined) {
    t = estimateTokens(JSON.stringify(tools));
    toolTokenCache.set(tools, t);
  }
  return t;
}

function lastUser(req: Req): string {
  if (req.prompt !== undefined) return req.prompt;
  const msgs = req.messages ?? [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (m?.role === 'user' && m.content !== null) return m.content;
  }
  return '';
}

const EFFORT_REASONING: Record<string, number> = { minimal: 80, low: 350, medium: 1300, high: 4200 };

/** Builds the event as a JSON line: consistent tokens, caps, reasoning, status codes and latency. */
export function buildEvent(
  id: string,
  ts: number,
  who: Identity,
  net: NetProfile,
  req: Req,
  rng: Rng,
  responses?: readonly string[],
): string {
  const info = modelInfo(req.model);
  const input =
    (req.messages ? messagesTokens(req.messages) : estimateTokens(req.prompt ?? '')) + toolsTokens(req.tools);
  const cap = req.params.max_tokens ?? info.maxOutput;
  let reasoning = 0;
  if (info.reasoning) {
    const base = EFFORT_REASONING[req.params.reasoning_effort ?? 'medium'] ?? 1300;
    reasoning = Math.round(rng.lognormal(base, 0.6));
  }
  let out = Math.max(1, Math.round(req.outTokens));
  let finish = req.outKind === 'tool_call' ? 'tool_calls' : 'stop';
  if (reasoning + out > cap) {
    finish = 'length';
    reasoning = Math.min(reasoning, cap);
    out = Math.max(0, cap - reasoning);
  }
  const n = req.params.n ?? 1;
  const r = rng.next();
  const status = r < 0.002 ? 500 : r < 0.003 ? 400 : r < 0.006 + (req.rateLimited ?? 0) ? 429 : 200;
  const where = net.next();
  const head = {
    type: 'event',
    id,
    ts: new Date(ts).toISOString(),
    account: who.account,
    org: who.org,
    key: who.key,
    end_user: req.endUser,
    model: req.model,
    endpoint: req.endpoint ?? '/v1/chat/completions',
  };
  const ev: Record<string, unknown> = {
    params: req.params,
    ip: where.ip,
    asn: where.asn,
    country: where.country,
    user_agent: net.client.ua,
    tls_fp: net.client.tls,
  };
  if (status === 200) {
    ev['usage'] = {
      input_tokens: input,
      output_tokens: out * n,
      ...(info.reasoning ? { reasoning_tokens: reasoning * n } : {}),
      ...(req.cachedTokens !== undefined ? { cached_tokens: Math.min(req.cachedTokens, input) } : {}),
    };
    if (req.outKind !== 'tool_call' && out > 0)
      ev['output'] = synthOutput(rng, req.outKind, lastUser(req), req.label, responses);
    ev['finish_reason'] = finish;
    const decode = ((reasoning + out) / info.tps) * 1000 * rng.lognormal(1, 0.15);
    ev['latency_ms'] = Math.round(info.ttftMs * rng.lognormal(1, 0.3) + input / 40 + decode);
  } else {
    ev['usage'] = { input_tokens: status === 429 ? 0 : input, output_tokens: 0 };
    ev['latency_ms'] = Math.round(status === 429 ? rng.range(8, 40) : rng.range(200, 30_000));
  }
  ev['status'] = status;
  return serialise(head, req, ev);
}

const jsonCache = new WeakMap<object, string>();

/** JSON of an object that recurs across events (history messages, tool arrays), serialised once. */
function cachedJson(o: object): string {
  let s = jsonCache.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    jsonCache.set(o, s);
  }
  return s;
}

/**
 * One JSON line for the event. Multi-turn histories and tool definitions repeat from one request to the
 * next, so their parts are serialised once and spliced in; this is most of the bytes for agents.
 */
function serialise(head: object, req: Req, tail: Record<string, unknown>): string {
  let s = JSON.stringify(head).slice(0, -1);
  const msgs = req.messages;
  if (msgs !== undefined) {
    s += ',"messages":[';
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i] as SimMessage;
      if (i > 0) s += ',';
      s += msgs.length > 2 ? cachedJson(m) : JSON.stringify(m);
    }
    s += ']';
  }
  if (req.prompt !== undefined) s += `,"prompt":${JSON.stringify(req.prompt)}`;
  if (req.tools !== undefined)
    s += `,"tools":${typeof req.tools === 'number' ? req.tools : cachedJson(req.tools)}`;
  return `${s},${JSON.stringify(tail).slice(1)}`;
}
