import type { LinkReason } from '../domain/index.js';
import { digest } from './hash.js';
import { BASE_WEIGHT, FAMILIES, FAMILY_CAP, baseWeightOf, familyIndexOf, kindOf, valueOf, type KeyFamily, type KeyKind } from './keys.js';

/** Specificity in [0, 1] of a key right now: 1 = names one operator, 0 = everyone has it. */
export type SpecOf = (key: string) => number;

export interface PairWeight {
  weight: number;
  /** How many independent families contributed more than a trace. */
  families: number;
}

/** A family contributing less than this is noise, not a corroborating family. */
const TRACE = 0.05;

/**
 * Weight of the evidence that two accounts share an operator, from the keys they share.
 * Within a family the values combine as a noisy-or (one NAT is one IP, one /24 and one ASN)
 * capped by the family's cap; families add up. `exclude` leaves families out (used to ask
 * "apart from this value, are these two accounts related?").
 *
 * @example
 * pairWeight([makeKey('payment_fp', 'pf1'), makeKey('subnet24', '10.0.0')], () => 1).weight; // 1.25
 */
export function pairWeight(shared: readonly string[], specOf: SpecOf, exclude: readonly KeyFamily[] = []): PairWeight {
  const miss = MISS;
  miss.fill(1);
  const skip = exclude.map((f) => FAMILIES.indexOf(f));
  for (const key of shared) {
    const f = familyIndexOf(key);
    if (skip.includes(f)) continue;
    miss[f] = (miss[f] as number) * (1 - baseWeightOf(key) * specOf(key));
  }
  let weight = 0;
  let families = 0;
  for (let f = 0; f < FAMILIES.length; f++) {
    const c = Math.min(CAPS[f] as number, 1 - (miss[f] as number));
    weight += c;
    if (c >= TRACE) families += 1;
  }
  return { weight, families };
}

/** Scratch space for pairWeight (single-threaded, never escapes the call). */
const MISS = new Float64Array(FAMILIES.length);
const CAPS: readonly number[] = FAMILIES.map((f) => FAMILY_CAP[f]);

/** Keys present in both sets, in `a`'s order (deterministic for a given sketch). */
export function sharedKeys(a: readonly string[], b: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const k of a) if (b.has(k)) out.push(k);
  return out;
}

/** Kinds whose values could identify a person or a payer: shown hashed, never raw. */
const HASHED: ReadonlySet<KeyKind> = new Set<KeyKind>(['ip', 'signup_ip', 'payment_fp', 'subnet24']);
const MAX_VALUE = 80;

/** A shared value as it may appear in `campaigns.json` and in shared intel. */
export function displayValue(key: string): string {
  const kind = kindOf(key);
  const value = valueOf(key);
  if (HASHED.has(kind)) return `h:${digest(`${kind}|${value}`)}`;
  return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
}

/** The reasons behind an edge, strongest first, each with the weight it carried. */
export function edgeReasons(shared: readonly string[], specOf: SpecOf): LinkReason[] {
  const reasons = shared.map((key) => {
    const kind = kindOf(key);
    return { kind, value: displayValue(key), weight: round(BASE_WEIGHT[kind] * specOf(key)) };
  });
  return reasons.sort((x, y) => y.weight - x.weight || x.kind.localeCompare(y.kind) || x.value.localeCompare(y.value));
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
