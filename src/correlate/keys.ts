import type { AccountSketch } from '../domain/index.js';

/**
 * The kinds of value two accounts can share. Kinds are grouped in families: values of one
 * family are not independent evidence (the same NAT shows as one IP, one /24 and one ASN),
 * so an edge counts each family once.
 */
export const KEY_KINDS = [
  'payment_fp',
  'signup_ip',
  'ip',
  'subnet24',
  'asn',
  'tls_fp',
  'user_agent',
  'email_domain',
  'template',
  'signup_burst',
] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export type KeyFamily = 'payment' | 'signup_ip' | 'network' | 'client' | 'email' | 'template' | 'burst';

export const FAMILY_OF: Readonly<Record<KeyKind, KeyFamily>> = {
  payment_fp: 'payment',
  signup_ip: 'signup_ip',
  ip: 'network',
  subnet24: 'network',
  asn: 'network',
  tls_fp: 'client',
  user_agent: 'client',
  email_domain: 'email',
  template: 'template',
  signup_burst: 'burst',
};

/**
 * How much one shared value of a kind says that two accounts have one operator, before
 * down-weighting for how common the value is. The ordering, not the exact numbers, is what
 * matters: a payment fingerprint names the payer; a signup IP or a single egress IP is
 * nearly as personal; a /24, a client stack, a template or a signup hour are circumstantial;
 * an ASN or an email domain alone says almost nothing. Families cap the sum (see FAMILY_CAP).
 */
export const BASE_WEIGHT: Readonly<Record<KeyKind, number>> = {
  payment_fp: 1.25,
  signup_ip: 0.6,
  ip: 0.45,
  subnet24: 0.25,
  asn: 0.05,
  tls_fp: 0.25,
  user_agent: 0.15,
  email_domain: 0.6,
  template: 0.3,
  signup_burst: 0.3,
};

/**
 * Upper bound of one family's contribution to an edge. Below the edge threshold (1.0) for
 * every family except payment, so circumstantial evidence links two accounts only when at
 * least two independent families agree.
 */
export const FAMILY_CAP: Readonly<Record<KeyFamily, number>> = {
  payment: 1.25,
  signup_ip: 0.6,
  network: 0.6,
  client: 0.35,
  email: 0.6,
  template: 0.6,
  burst: 0.3,
};

/**
 * A key is one character naming its kind followed by the value, so the kind of a key is
 * read from its first code unit without parsing (pair weighing does this millions of times).
 */
const CODE_BASE = 65;

export function makeKey(kind: KeyKind, value: string): string {
  return String.fromCharCode(CODE_BASE + KEY_KINDS.indexOf(kind)) + value;
}

export function kindOf(key: string): KeyKind {
  return KEY_KINDS[key.charCodeAt(0) - CODE_BASE] ?? 'template';
}

export function valueOf(key: string): string {
  return key.slice(1);
}

export const FAMILIES: readonly KeyFamily[] = ['payment', 'signup_ip', 'network', 'client', 'email', 'template', 'burst'];
const FAMILY_INDEX: readonly number[] = KEY_KINDS.map((k) => FAMILIES.indexOf(FAMILY_OF[k]));
const WEIGHT_BY_CODE: readonly number[] = KEY_KINDS.map((k) => BASE_WEIGHT[k]);

/** Index of a key's family in FAMILIES (fast path for pair weighing). */
export function familyIndexOf(key: string): number {
  return FAMILY_INDEX[key.charCodeAt(0) - CODE_BASE] ?? FAMILIES.indexOf('template');
}

/** Base weight of a key's kind (fast path for pair weighing). */
export function baseWeightOf(key: string): number {
  return WEIGHT_BY_CODE[key.charCodeAt(0) - CODE_BASE] ?? BASE_WEIGHT.template;
}

export interface KeyLimits {
  /** Most values taken per infrastructure list (sketch lists are most-frequent first). */
  perKind: number;
  /** Width of a signup-burst bucket, in ms. */
  burstMs: number;
}

/**
 * The keys an account's sketch puts it under. Two overlapping burst buckets (offset by half
 * a width) make "created within one bucket width of each other" land in a shared bucket
 * without a window search.
 *
 * @example
 * sketchKeys(sketch, { perKind: 8, burstMs: 3_600_000 }).map(kindOf); // ['ip', 'subnet24', …, 'payment_fp']
 */
export function sketchKeys(s: AccountSketch, limits: KeyLimits): string[] {
  const keys: string[] = [];
  const add = (kind: KeyKind, values: readonly string[]): void => {
    for (const v of values.slice(0, limits.perKind)) if (v !== '') keys.push(makeKey(kind, v));
  };
  add('ip', s.infra.ips);
  add('subnet24', s.infra.subnets);
  add('asn', s.infra.asns);
  add('tls_fp', s.infra.tls_fps);
  add('user_agent', s.infra.user_agents);
  add('template', s.template_bands);
  const su = s.signup;
  if (su.payment_fp) keys.push(makeKey('payment_fp', su.payment_fp));
  if (su.signup_ip) keys.push(makeKey('signup_ip', su.signup_ip));
  if (su.email_domain) keys.push(makeKey('email_domain', su.email_domain.toLowerCase()));
  if (su.created !== null) {
    const w = limits.burstMs;
    keys.push(makeKey('signup_burst', `a${Math.floor(su.created / w)}`));
    keys.push(makeKey('signup_burst', `b${Math.floor((su.created + w / 2) / w)}`));
  }
  return [...new Set(keys)];
}
