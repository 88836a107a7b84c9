import type { Decision } from '../domain/index.js';
import type { DecisionLookup } from '../ports/index.js';
import { targetKey } from '../policy/index.js';

export interface ThrottleRule {
  decision: Decision;
  /** Bucket key: the decision's target, so a campaign-wide throttle shares one bucket. */
  bucket: string;
  rpm: number | undefined;
  tpm: number | undefined;
  burst: number;
}

export interface DegradeRule {
  decisions: Decision[];
  reasoning: 'keep' | 'strip' | 'summarise';
  maxReasoningChars: number | undefined;
  maxTokens: number | undefined;
  dropLogprobs: boolean;
  watermark: boolean;
  perturbFormat: boolean;
}

/** What the gateway does with one request, resolved from every decision that applies. */
export interface Enforcement {
  /** The headline action, for the record. */
  action: Decision['action'];
  block: Decision | null;
  challenge: Decision | null;
  throttles: ThrottleRule[];
  degrade: DegradeRule | null;
  /** Every decision that applied (monitor and review included), for the recorded event. */
  decisions: readonly Decision[];
  allowlisted: string | null;
}

export const ALLOW: Enforcement = Object.freeze({
  action: 'allow',
  block: null,
  challenge: null,
  throttles: [],
  degrade: null,
  decisions: [],
  allowlisted: null,
});

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const minOf = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const REASONING_ORDER = { keep: 0, summarise: 1, strip: 2 } as const;

function mergeDegrade(prev: DegradeRule | null, d: Decision): DegradeRule {
  const p = d.params;
  const reasoning = p['reasoning'] === 'keep' || p['reasoning'] === 'summarise' || p['reasoning'] === 'strip' ? p['reasoning'] : 'strip';
  const next: DegradeRule = {
    decisions: [d],
    reasoning,
    maxReasoningChars: num(p['max_reasoning_chars']),
    maxTokens: num(p['max_tokens']),
    dropLogprobs: p['logprobs'] !== true,
    watermark: p['watermark'] === true,
    perturbFormat: p['perturb_format'] === true,
  };
  if (!prev) return next;
  // Several degrade decisions combine to the strictest of each setting.
  return {
    decisions: [...prev.decisions, d],
    reasoning: REASONING_ORDER[prev.reasoning] >= REASONING_ORDER[next.reasoning] ? prev.reasoning : next.reasoning,
    maxReasoningChars: minOf(prev.maxReasoningChars, next.maxReasoningChars),
    maxTokens: minOf(prev.maxTokens, next.maxTokens),
    dropLogprobs: prev.dropLogprobs || next.dropLogprobs,
    watermark: prev.watermark || next.watermark,
    perturbFormat: prev.perturbFormat || next.perturbFormat,
  };
}

/**
 * Combines the decisions that apply to a caller. Block wins; otherwise challenge; throttle
 * and degrade apply together; monitor and review change nothing but are recorded.
 */
export function resolveEnforcement(lookup: DecisionLookup): Enforcement {
  if (lookup.allowlisted) return { ...ALLOW, allowlisted: lookup.allowlisted.id };
  if (lookup.decisions.length === 0) return ALLOW;
  let block: Decision | null = null;
  let challenge: Decision | null = null;
  let degrade: DegradeRule | null = null;
  const throttles: ThrottleRule[] = [];
  for (const d of lookup.decisions) {
    switch (d.action) {
      case 'block':
      case 'ban-campaign':
        block ??= d;
        break;
      case 'challenge':
        challenge ??= d;
        break;
      case 'throttle':
        throttles.push({ decision: d, bucket: targetKey(d.target), rpm: num(d.params['rpm']), tpm: num(d.params['tpm']), burst: num(d.params['burst']) ?? 1 });
        break;
      case 'degrade':
        degrade = mergeDegrade(degrade, d);
        break;
      case 'allow':
      case 'monitor':
      case 'review':
        break;
    }
  }
  const action = block ? block.action : challenge ? 'challenge' : throttles.length > 0 ? 'throttle' : degrade ? 'degrade' : strongestPassive(lookup.decisions);
  return { action, block, challenge, throttles, degrade, decisions: lookup.decisions, allowlisted: null };
}

function strongestPassive(ds: readonly Decision[]): Decision['action'] {
  if (ds.some((d) => d.action === 'review')) return 'review';
  if (ds.some((d) => d.action === 'monitor')) return 'monitor';
  return 'allow';
}
