import type { TrafficEvent } from '../domain/index.js';
import { contentText } from '../domain/index.js';
import { hashString } from './hash.js';
import { LEXICAL_DIM, lexicalVector } from './lexical.js';
import { signatureOfTokens, TEMPLATE_WINDOW } from './minhash.js';
import { CATEGORIES, classifyCategory, GRADING, REASONING_ELICITATION, STRUCTURED_REASONING } from './text-signals.js';
import type { Category } from './text-signals.js';
import { tokenHashes } from './tokenize.js';

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

/** Characters of a request scanned for lexical cues; the cues sit in instructions, not payloads. */
const SCAN_CHARS = 4000;

/** The instruction-bearing text of a request: system prompt(s) plus the last user message. */
export function requestText(ev: TrafficEvent): string {
  if (ev.prompt !== undefined) return ev.prompt.length > SCAN_CHARS ? ev.prompt.slice(0, SCAN_CHARS) : ev.prompt;
  const msgs = ev.messages ?? [];
  let system = '';
  let lastUser = '';
  for (const m of msgs) {
    if (m.role === 'system' || m.role === 'developer') system += (system ? '\n' : '') + contentText(m.content);
    else if (m.role === 'user') lastUser = contentText(m.content);
  }
  const text = system ? `${system}\n${lastUser}` : lastUser;
  return text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
}

/** Features of a sampled request's text: computed at most once per event. */
export interface TextFeatures {
  text: string;
  reasoning: boolean;
  structuredReasoning: boolean;
  grading: boolean;
  category: number;
  templateSig: Uint32Array;
  /** Hash of the masked first and last WRAPPER_TOKENS tokens: the fixed wrapper, if any. */
  wrapperKey: number;
  /** Hash of the exact text (exact-duplicate counting). */
  textHash: number;
  lexical: Float64Array;
  chars: number;
}

const WRAPPER_TOKENS = 6;
const tokenScratch = new Uint32Array(2048);

function wrapperHash(tokens: Uint32Array, n: number): number {
  let h = 0x811c9dc5 ^ Math.min(n, 2 * WRAPPER_TOKENS + 1);
  const k = Math.min(WRAPPER_TOKENS, n);
  for (let i = 0; i < k; i++) h = Math.imul(h ^ (tokens[i] ?? 0), 0x01000193);
  h = Math.imul(h ^ 0x7c, 0x01000193);
  for (let i = Math.max(k, n - WRAPPER_TOKENS); i < n; i++) h = Math.imul(h ^ (tokens[i] ?? 0), 0x01000193);
  return h >>> 0;
}

export function textFeatures(ev: TrafficEvent, facts: EventFacts): TextFeatures {
  const text = requestText(ev);
  const n = tokenHashes(text, tokenScratch, true);
  const lexical = new Float64Array(LEXICAL_DIM);
  lexicalVector(tokenScratch, n, lexical);
  const category: Category = classifyCategory(text, {
    hasTools: facts.hasTools,
    hasToolResults: facts.toolResults,
    hasImage: facts.hasImage,
  });
  return {
    text,
    reasoning: REASONING_ELICITATION.test(text),
    structuredReasoning: STRUCTURED_REASONING.test(text),
    grading: GRADING.test(text),
    category: CATEGORIES.indexOf(category),
    templateSig: signatureOfTokens(tokenScratch, n, TEMPLATE_WINDOW),
    wrapperKey: wrapperHash(tokenScratch, n),
    textHash: hashString(text),
    lexical,
    chars: text.length,
  };
}
