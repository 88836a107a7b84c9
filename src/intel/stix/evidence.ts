import { createHash } from 'node:crypto';
import type { AccountSketch, Campaign } from '../../domain/index.js';
import { keyedHash, keyedSlot, type CommunityKey } from './keys.js';

/** Infrastructure kinds that leave the system (keyed), with where each comes from in a sketch. */
export const INFRA_KINDS = [
  'ip',
  'subnet24',
  'asn',
  'tls_fp',
  'user_agent',
  'signup_ip',
  'payment_fp',
  'email_domain',
] as const;
export type InfraKind = (typeof INFRA_KINDS)[number];

/** Raw values of one sketch by kind: the single place that reads raw identifiers. */
export function sketchInfra(s: AccountSketch): Array<[InfraKind, string]> {
  const out: Array<[InfraKind, string]> = [];
  for (const v of s.infra.ips) out.push(['ip', v]);
  for (const v of s.infra.subnets) out.push(['subnet24', v]);
  for (const v of s.infra.asns) out.push(['asn', v]);
  for (const v of s.infra.tls_fps) out.push(['tls_fp', v]);
  for (const v of s.infra.user_agents) out.push(['user_agent', v]);
  if (s.signup.signup_ip) out.push(['signup_ip', s.signup.signup_ip]);
  if (s.signup.payment_fp) out.push(['payment_fp', s.signup.payment_fp]);
  if (s.signup.email_domain) out.push(['email_domain', s.signup.email_domain]);
  return out;
}

const EDGE_KIND_ALIASES: Record<string, InfraKind> = {
  ip: 'ip',
  subnet24: 'subnet24',
  subnet: 'subnet24',
  asn: 'asn',
  tls_fp: 'tls_fp',
  user_agent: 'user_agent',
  signup_ip: 'signup_ip',
  payment_fp: 'payment_fp',
  email_domain: 'email_domain',
};

export interface KeyedHash {
  kind: InfraKind;
  hmac: string;
  accounts: number;
}

const MAX_PER_KIND = 500;

/**
 * Keyed infrastructure of a campaign, each value with the number of its accounts that used it
 * (linking edges count for both ends).
 */
export function campaignKeyedHashes(
  c: Campaign,
  sketches: ReadonlyMap<string, AccountSketch>,
  key: CommunityKey,
): KeyedHash[] {
  const counts = new Map<string, { kind: InfraKind; value: string; accounts: Set<string> }>();
  const add = (kind: InfraKind, value: string, account: string): void => {
    const k = `${kind}\u0000${value}`;
    const e = counts.get(k) ?? { kind, value, accounts: new Set<string>() };
    e.accounts.add(account);
    counts.set(k, e);
  };
  for (const account of c.accounts) {
    const s = sketches.get(account);
    if (s) for (const [kind, value] of sketchInfra(s)) add(kind, value, account);
  }
  for (const edge of c.edges) {
    for (const r of edge.reasons) {
      const kind = EDGE_KIND_ALIASES[r.kind];
      // Edge values may be the correlator's own truncated hashes: only raw values a sketch also holds are comparable across providers.
      if (kind === undefined || !counts.has(`${kind}\u0000${r.value}`)) continue;
      add(kind, r.value, edge.a);
      add(kind, r.value, edge.b);
    }
  }
  // Values seen on one account are kept too (a proxy pool rotates), with their account count so a
  // matcher can weigh them lower than values the campaign's accounts share.
  const kept = [...counts.values()].map((e) => ({
    kind: e.kind,
    hmac: keyedHash(key, e.kind, e.value),
    accounts: e.accounts.size,
  }));
  kept.sort(
    (a, b) => a.kind.localeCompare(b.kind) || b.accounts - a.accounts || a.hmac.localeCompare(b.hmac),
  );
  const perKind = new Map<string, number>();
  return kept.filter((h) => {
    const n = (perKind.get(h.kind) ?? 0) + 1;
    perKind.set(h.kind, n);
    return n <= MAX_PER_KIND;
  });
}

/** Jaccard estimate of two MinHash signatures: the fraction of equal slots. */
export function minhashJaccard(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) eq++;
  return eq / n;
}

export function keySignature(key: CommunityKey, sig: readonly number[]): number[] {
  return sig.map((s) => keyedSlot(key, s));
}

export const LSH_ROWS = 4;

/** LSH band keys of a (keyed) signature; two sketches sharing a band are candidates for comparison. */
export function lshBands(slots: readonly number[], rows = LSH_ROWS): string[] {
  const out: string[] = [];
  for (let b = 0; b + rows <= slots.length; b += rows) {
    const band = slots.slice(b, b + rows).join(',');
    out.push(
      createHash('sha256')
        .update(`${b / rows}:${band}`)
        .digest('hex')
        .slice(0, 16),
    );
  }
  return out;
}

export interface TemplateSketch {
  slots: number[];
  accounts: number;
}

const TEMPLATE_CLUSTER_JACCARD = 0.5;
const MAX_TEMPLATES = 8;

/** Representative keyed template signatures of a campaign: greedy clusters of similar signatures, most used first. */
export function campaignTemplates(
  c: Campaign,
  sketches: ReadonlyMap<string, AccountSketch>,
  key: CommunityKey,
): TemplateSketch[] {
  const reps: Array<{ sig: number[]; accounts: number }> = [];
  for (const account of [...c.accounts].sort()) {
    const sig = sketches.get(account)?.template_minhash ?? [];
    if (sig.length < 8) continue;
    const rep = reps.find((r) => minhashJaccard(r.sig, sig) >= TEMPLATE_CLUSTER_JACCARD);
    if (rep) rep.accounts++;
    else reps.push({ sig: [...sig], accounts: 1 });
  }
  return reps
    .sort((a, b) => b.accounts - a.accounts)
    .slice(0, MAX_TEMPLATES)
    .map((r) => ({ slots: keySignature(key, r.sig), accounts: r.accounts }));
}

/** Coarse bucket of a signal value: fifths of [0,1], then decades above 1. */
export function signalBucket(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return 0;
  if (v <= 1) return Math.min(4, Math.floor(v * 5));
  return Math.min(15, 5 + Math.floor(Math.log10(v)));
}

/** Behavioural fingerprint: the mean of each per-account signal over the campaign, bucketed. */
export function campaignBehaviour(
  c: Campaign,
  sketches: ReadonlyMap<string, AccountSketch>,
): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const account of c.accounts) {
    const s = sketches.get(account);
    if (!s) continue;
    for (const [name, v] of Object.entries(s.signals)) {
      if (!Number.isFinite(v) || !/^[a-z][a-z0-9_]{0,63}$/.test(name)) continue;
      const e = sums.get(name) ?? { sum: 0, n: 0 };
      e.sum += v;
      e.n++;
      sums.set(name, e);
    }
  }
  const out: Record<string, number> = {};
  for (const name of [...sums.keys()].sort()) {
    const e = sums.get(name);
    if (e) out[name] = signalBucket(e.sum / e.n);
  }
  return out;
}

/** The same buckets for one account, for matching a peer's behavioural fingerprint. */
export function campaignBehaviourOfSketch(s: AccountSketch): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(s.signals).sort()) {
    const v = s.signals[name];
    if (v !== undefined && Number.isFinite(v) && /^[a-z][a-z0-9_]{0,63}$/.test(name))
      out[name] = signalBucket(v);
  }
  return out;
}
