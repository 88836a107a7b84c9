import type { TrafficEvent } from '../domain/index.js';
import { contentText } from '../domain/index.js';
import { hashString } from './hash.js';
import { LEXICAL_DIM, lexicalVector } from './lexical.js';
import { MINHASH_SIZE, signatureOfTokens, TEMPLATE_WINDOW } from './minhash.js';
import { CATEGORIES, textCues } from './text-signals.js';
import { lastScripts, tokenHashes } from './tokenize.js';

/** Cheap structural facts of one event, computed once and shared by account and end-user state. */
export interface EventFacts {
  messages: number;
  userTurns: number;
  assistantTurns: number;
  toolResults: boolean;
  hasTools: boolean;
  hasImage: boolean;
}

export function eventFacts(ev: TrafficEvent): EventFacts {
  let userTurns = 0;
  let assistantTurns = 0;
  let toolResults = false;
  let hasImage = false;
  const msgs = ev.messages;
  if (msgs !== undefined) {
    for (const m of msgs) {
      const r = m.role;
      if (r === 'user') userTurns++;
      else if (r === 'assistant') assistantTurns++;
      else if (r === 'tool' || r === 'function') toolResults = true;
      const c = m.content;
      if (c !== null && typeof c !== 'string') {
        for (const p of c) {
          if (p.type.includes('image')) hasImage = true;
          else if (p.type === 'tool_result') toolResults = true;
        }
      }
    }
  } else if (ev.prompt !== undefined) {
    userTurns = 1;
  }
  const tools = ev.tools;
  const hasTools = tools !== undefined && (typeof tools === 'number' ? tools > 0 : tools.length > 0);
  return { messages: msgs?.length ?? 1, userTurns, assistantTurns, toolResults, hasTools, hasImage };
}

/**
 * Characters of a request scanned for lexical cues: the head and the tail, where wrappers
 * and instructions sit; a long payload in the middle is skipped, which bounds the cost.
 */
const HEAD_CHARS = 1500;
const TAIL_CHARS = 500;

function headAndTail(text: string): string {
  return text.length <= HEAD_CHARS + TAIL_CHARS ? text : `${text.slice(0, HEAD_CHARS)}\n${text.slice(text.length - TAIL_CHARS)}`;
}

/** The instruction-bearing text of a request: system prompt(s) plus the last user message. */
export function requestText(ev: TrafficEvent): string {
  if (ev.prompt !== undefined) return headAndTail(ev.prompt);
  const msgs = ev.messages ?? [];
  let system = '';
  let lastUser = '';
  for (const m of msgs) {
    if (m.role === 'system' || m.role === 'developer') system += (system ? '\n' : '') + contentText(m.content);
    else if (m.role === 'user') lastUser = contentText(m.content);
  }
  return headAndTail(system ? `${system}\n${lastUser}` : lastUser);
}

/** Features of a sampled request's text: computed at most once per event. */
export interface TextFeatures {
  text: string;
  reasoning: boolean;
  verbosity: boolean;
  /** Main writing system: the highest-numbered non-Latin script present, else 0 (Latin/other). */
  script: number;
  structuredReasoning: boolean;
  grading: boolean;
  category: number;
  templateSig: Uint32Array;
  /** Hashes of the masked first / last AFFIX_TOKENS tokens (0 for prompts too short to have a wrapper). */
  prefixKey: number;
  suffixKey: number;
  /** Hash of the exact text (exact-duplicate counting). */
  textHash: number;
  /** `templateSig` and `lexical` are shared scratch buffers, valid until the next call: copy to keep. */
  lexical: Float64Array;
  chars: number;
}

const tokenScratch = new Uint32Array(2048);
const lexicalScratch = new Float64Array(LEXICAL_DIM);
const sigScratch = new Uint32Array(MINHASH_SIZE);

/** Tokens at each end of a prompt that make up its affixes (the wrapper's opening and closing words). */
const AFFIX_TOKENS = 6;
/** Prompts shorter than this have no wrapper distinct from their payload. */
const MIN_AFFIX_PROMPT = 2 * AFFIX_TOKENS;

function affixHash(tokens: Uint32Array, from: number, to: number, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (tokens[i] ?? 0), 0x01000193);
  return h >>> 0;
}

export function textFeatures(ev: TrafficEvent, facts: EventFacts): TextFeatures {
  const text = requestText(ev);
  const n = tokenHashes(text, tokenScratch, true);
  const scripts = lastScripts();
  // Shared scratch: callers fold the vector into their sums before the next event.
  lexicalVector(tokenScratch, n, lexicalScratch);
  const cues = textCues(text, tokenScratch, n, {
    hasTools: facts.hasTools,
    hasToolResults: facts.toolResults,
    hasImage: facts.hasImage,
  });
  return {
    text,
    reasoning: cues.reasoning,
    verbosity: cues.verbosity,
    script: scripts === 0 ? 0 : 31 - Math.clz32(scripts),
    structuredReasoning: cues.structuredReasoning,
    grading: cues.grading,
    category: CATEGORIES.indexOf(cues.category),
    templateSig: signatureOfTokens(tokenScratch, n, TEMPLATE_WINDOW, sigScratch),
    prefixKey: n >= MIN_AFFIX_PROMPT ? affixHash(tokenScratch, 0, AFFIX_TOKENS, 0x70) : 0,
    suffixKey: n >= MIN_AFFIX_PROMPT ? affixHash(tokenScratch, n - AFFIX_TOKENS, n, 0x73) : 0,
    textHash: hashString(text),
    lexical: lexicalScratch,
    chars: text.length,
  };
}
