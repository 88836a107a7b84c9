import type { ResponseStage } from '../exchange.js';
import { eventJson, type SseEvent } from '../sse.js';
import type { DegradePlan } from './plan.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
/** Providers name the chain of thought differently; all of these are reasoning. */
const REASONING_KEYS = ['reasoning_content', 'reasoning'] as const;

function degradeMessage(m: Json, plan: DegradePlan): void {
  for (const k of REASONING_KEYS) {
    const v = m[k];
    if (typeof v !== 'string') continue;
    if (plan.opts.reasoning === 'strip') delete m[k];
    else m[k] = plan.text.transformReasoningText(v, plan.opts);
  }
  if (plan.touchAnswer && typeof m['content'] === 'string') m['content'] = plan.text.transformAnswerText(m['content'], plan.opts);
}

/** Degrades Chat Completions responses: whole JSON bodies and `chat.completion.chunk` streams. */
export function chatDegradeStage(plan: DegradePlan): ResponseStage {
  const reasoning = new Map<number, ReturnType<DegradePlan['text']['createStreamingTextTransform']>>();
  const answer = new Map<number, ReturnType<DegradePlan['text']['createStreamingTextTransform']>>();
  const streamFor = (map: typeof reasoning, kind: 'answer' | 'reasoning', i: number) => {
    let t = map.get(i);
    if (!t) map.set(i, (t = plan.text.createStreamingTextTransform(kind, plan.opts)));
    return t;
  };
  let last: Json | null = null;
  return {
    name: 'degrade',
    json(body) {
      const choices = Array.isArray(body['choices']) ? (body['choices'] as unknown[]) : [];
      for (const c of choices) {
        const choice = obj(c);
        const message = obj(choice?.['message']);
        if (message) degradeMessage(message, plan);
        if (choice && plan.dropLogprobs && choice['logprobs'] != null) choice['logprobs'] = null;
      }
      return true;
    },
    event(ev: SseEvent) {
      const j = eventJson(ev);
      if (!j || !Array.isArray(j['choices'])) return [ev];
      last = j;
      for (const c of j['choices'] as unknown[]) {
        const choice = obj(c);
        const delta = obj(choice?.['delta']);
        const index = typeof choice?.['index'] === 'number' ? choice['index'] : 0;
        if (!choice || !delta) continue;
        for (const k of REASONING_KEYS) {
          const v = delta[k];
          if (typeof v !== 'string') continue;
          const out = streamFor(reasoning, 'reasoning', index).push(v);
          if (out) delta[k] = out;
          else delete delta[k];
        }
        const content = delta['content'];
        const ending = typeof choice['finish_reason'] === 'string';
        // Reasoning ends where the answer starts: release what the reasoning transform held back.
        if ((typeof content === 'string' && content.length > 0) || ending) {
          const r = reasoning.get(index);
          const tail = r?.flush() ?? '';
          reasoning.delete(index);
          if (tail) delta['reasoning_content'] = tail;
        }
        if (plan.touchAnswer && (typeof content === 'string' || ending)) {
          const t = streamFor(answer, 'answer', index);
          let out = typeof content === 'string' ? t.push(content) : '';
          if (ending) {
            out += t.flush();
            answer.delete(index);
          }
          delta['content'] = out;
        }
        if (plan.dropLogprobs && choice['logprobs'] != null) choice['logprobs'] = null;
      }
      ev.dirty = true;
      return [ev];
    },
    end() {
      // A stream cut before its finish chunk still gets the text the transforms held back.
      const out: SseEvent[] = [];
      const pending = [...[...reasoning].map(([i, t]) => ['reasoning_content', i, t] as const), ...[...answer].map(([i, t]) => ['content', i, t] as const)];
      for (const [kind, index, t] of pending) {
        const text = t.flush();
        if (!text) continue;
        const json = { id: last?.['id'], object: 'chat.completion.chunk', created: last?.['created'], model: last?.['model'], choices: [{ index, delta: { [kind]: text }, finish_reason: null }] };
        out.push({ event: undefined, data: JSON.stringify(json), json, dirty: false });
      }
      reasoning.clear();
      answer.clear();
      return out;
    },
  };
}
