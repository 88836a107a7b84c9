import type { ResponseStage } from '../exchange.js';
import { eventJson, type SseEvent } from '../sse.js';
import type { StreamingTextTransform } from './text.js';
import type { DegradePlan } from './plan.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function degradeTextParts(parts: unknown[], field: 'text', kind: 'reasoning' | 'answer', plan: DegradePlan): void {
  for (const p of parts) {
    const part = obj(p);
    if (!part || typeof part[field] !== 'string') continue;
    if (kind === 'reasoning') part[field] = plan.text.transformReasoningText(part[field], plan.opts);
    else if (plan.touchAnswer && part['type'] === 'output_text') part[field] = plan.text.transformAnswerText(part[field], plan.opts);
    if (plan.dropLogprobs && 'logprobs' in part) part['logprobs'] = [];
  }
}

/** Degrades one output item in place; returns false when the item must be removed. */
function degradeItem(item: Json, plan: DegradePlan): boolean {
  if (item['type'] === 'reasoning') {
    if (plan.opts.reasoning === 'strip') return false;
    degradeTextParts(list(item['summary']), 'text', 'reasoning', plan);
    degradeTextParts(list(item['content']), 'text', 'reasoning', plan);
    if (plan.opts.reasoning === 'summarise') delete item['encrypted_content'];
    return true;
  }
  if (item['type'] === 'message') degradeTextParts(list(item['content']), 'text', 'answer', plan);
  return true;
}

export function degradeResponseObject(response: Json, plan: DegradePlan): void {
  const output = response['output'];
  if (Array.isArray(output)) response['output'] = output.filter((i) => !obj(i) || degradeItem(obj(i) as Json, plan));
}

const REASONING_EVENT = /^response\.reasoning_(summary_part|summary_text|text)\./;

/**
 * Degrades Responses API bodies and event streams. Stripped reasoning items disappear from
 * the stream, and later `output_index` values are renumbered so SDK accumulators stay consistent.
 */
export function responsesDegradeStage(plan: DegradePlan): ResponseStage {
  const dropped = new Set<number>();
  const streams = new Map<string, { t: StreamingTextTransform; text: string }>();
  const shift = (i: number): number => {
    let n = 0;
    for (const d of dropped) if (d < i) n++;
    return i - n;
  };
  const streamed = (key: string, kind: 'reasoning' | 'answer', delta: string): string => {
    let s = streams.get(key);
    if (!s) streams.set(key, (s = { t: plan.text.createStreamingTextTransform(kind, plan.opts), text: '' }));
    const out = s.t.push(delta);
    s.text += out;
    return out;
  };
  const done = (key: string): string | undefined => {
    const s = streams.get(key);
    if (!s) return undefined;
    streams.delete(key);
    return s.text + s.t.flush();
  };
  return {
    name: 'degrade',
    json(body) {
      degradeResponseObject(body, plan);
      return true;
    },
    event(ev: SseEvent) {
      const j = eventJson(ev);
      if (!j || typeof j['type'] !== 'string') return [ev];
      const type = j['type'];
      const index = typeof j['output_index'] === 'number' ? j['output_index'] : undefined;
      const item = obj(j['item']);
      if (type === 'response.output_item.added' && item?.['type'] === 'reasoning' && plan.opts.reasoning === 'strip' && index !== undefined) {
        dropped.add(index);
        return [];
      }
      if (index !== undefined && dropped.has(index)) return [];
      if (plan.opts.reasoning === 'strip' && REASONING_EVENT.test(type)) return [];
      const part = typeof j['summary_index'] === 'number' ? j['summary_index'] : typeof j['content_index'] === 'number' ? j['content_index'] : 0;
      const key = `${typeof j['item_id'] === 'string' ? j['item_id'] : ''}:${part}`;
      if (REASONING_EVENT.test(type) && type.endsWith('.delta') && typeof j['delta'] === 'string') j['delta'] = streamed(key, 'reasoning', j['delta']);
      else if (REASONING_EVENT.test(type) && type.endsWith('.done') && typeof j['text'] === 'string') j['text'] = done(key) ?? plan.text.transformReasoningText(j['text'], plan.opts);
      else if (type === 'response.output_text.delta') {
        if (plan.touchAnswer && typeof j['delta'] === 'string') j['delta'] = streamed(key, 'answer', j['delta']);
        if (plan.dropLogprobs && 'logprobs' in j) j['logprobs'] = [];
      } else if (type === 'response.output_text.done') {
        if (plan.touchAnswer && typeof j['text'] === 'string') j['text'] = done(key) ?? j['text'];
        if (plan.dropLogprobs && 'logprobs' in j) j['logprobs'] = [];
      } else if (item) degradeItem(item, plan);
      const response = obj(j['response']);
      if (response) degradeResponseObject(response, plan);
      if (index !== undefined) j['output_index'] = shift(index);
      ev.dirty = true;
      return [ev];
    },
  };
}
