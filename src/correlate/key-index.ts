import { pairWeight, sharedKeys } from './evidence.js';
import { hash32 } from './hash.js';
import { FAMILY_OF, kindOf, type KeyFamily } from './keys.js';

export interface IndexLimits {
  /** Buckets up to this size keep every member (all are link candidates). */
  fullMembers: number;
  /** Size of the order-independent bottom-k sample kept for every bucket. */
  sample: number;
  /** Accounts assumed to exist before the first is seen, so early values are not all "rare". */
  populationFloor: number;
  /** Related-pair threshold for coherence: the weight two sampled holders share outside the key's family. */
  relatedWeight: number;
}

interface Bucket {
  df: number;
  /** Members in arrival order while the bucket is small; frozen at `fullMembers` (the first ones act as anchors). */
  members: string[];
  /** Bottom-k of the holders by hash of the account id: the same sample whatever the arrival order. */
  sample: { h: number; account: string }[];
  coherence: number;
  coherenceDf: number;
}

/**
 * Inverted index key → accounts with document frequencies, capped member lists and a fixed
 * sample per key, from which it judges how specific a key is: few holders, or holders that
 * are otherwise related (a hydra's /24), make a key specific; many otherwise unrelated
 * holders (a cloud ASN, a campus NAT, a popular SDK) make it common.
 */
export class KeyIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly keysOf = new Map<string, { list: string[]; set: Set<string> }>();
  private specCache = new Map<string, number>();

  constructor(private readonly limits: IndexLimits) {}

  get accounts(): number {
    return this.keysOf.size;
  }

  keys(account: string): readonly string[] {
    return this.keysOf.get(account)?.list ?? [];
  }

  keySet(account: string): ReadonlySet<string> {
    return this.keysOf.get(account)?.set ?? EMPTY;
  }

  df(key: string): number {
    return this.buckets.get(key)?.df ?? 0;
  }

  /**
   * Adds keys to an account (keys are evidence of past use, so they are never removed) and
   * returns the ones it did not hold before.
   */
  add(account: string, keys: readonly string[]): string[] {
    let entry = this.keysOf.get(account);
    if (!entry) {
      entry = { list: [], set: new Set() };
      this.keysOf.set(account, entry);
    }
    const added: string[] = [];
    const h = hash32(account);
    for (const key of keys) {
      if (entry.set.has(key)) continue;
      entry.set.add(key);
      entry.list.push(key);
      added.push(key);
      this.insert(key, account, h);
    }
    return added;
  }

  private insert(key: string, account: string, h: number): void {
    let b = this.buckets.get(key);
    if (!b) {
      b = { df: 0, members: [], sample: [], coherence: 0, coherenceDf: 0 };
      this.buckets.set(key, b);
    }
    b.df += 1;
    if (b.members.length < this.limits.fullMembers) b.members.push(account);
    const s = b.sample;
    const last = s[s.length - 1];
    if (s.length < this.limits.sample || (last !== undefined && h < last.h)) {
      let i = s.length;
      while (i > 0 && (s[i - 1] as { h: number }).h > h) i--;
      s.splice(i, 0, { h, account });
      if (s.length > this.limits.sample) s.pop();
    }
  }

  /**
   * Accounts worth comparing with a holder of `key`: every member of a small bucket; for a
   * large one its first members (anchors) and its sample, so a large group still links as
   * a star around accounts every member is compared with.
   */
  candidates(key: string, anchors: number): string[] {
    const b = this.buckets.get(key);
    if (!b) return [];
    if (b.df <= b.members.length) return b.members;
    const out = new Set(b.members.slice(0, anchors));
    for (const x of b.sample) out.add(x.account);
    return [...out];
  }

  /** Call once per update: specificities may change as buckets grow. */
  newEpoch(): void {
    this.specCache = new Map();
  }

  /** Specificity of a key in [0, 1]: max of its rarity (idf) and its holders' coherence. */
  spec = (key: string): number => {
    const cached = this.specCache.get(key);
    if (cached !== undefined) return cached;
    const b = this.buckets.get(key);
    const value = b ? Math.max(this.idf(b.df), this.coherence(key, b)) : 1;
    this.specCache.set(key, value);
    return value;
  };

  /** Inverse document frequency normalised to [0, 1] over the accounts seen (at least the floor). */
  idf(df: number): number {
    const n = Math.max(this.keysOf.size, this.limits.populationFloor);
    if (df <= 1) return 1;
    return Math.max(0, Math.min(1, Math.log(n / df) / Math.log(n)));
  }

  /**
   * Share of sampled holder pairs that are related through other identity families, judged with
   * rarity alone (no coherence, so the judgement does not feed on itself). Recomputed when the
   * bucket has grown by a quarter or by 8 holders, whichever comes first: small buckets are
   * re-judged rarely, a large one every 8 new holders (its bottom-k sample seldom changes by
   * then, so most of those recomputations give the same answer; about 2.6% of a scan's time on
   * the bench traffic, left as it is because changing it changes specificities).
   */
  private coherence(key: string, b: Bucket): number {
    if (b.df < 3) return 0;
    if (b.coherenceDf > 0 && b.df < b.coherenceDf * 1.25 && b.df - b.coherenceDf < 8) return b.coherence;
    // Relatedness is judged on who the holders are and what they send (payment, signup,
    // email, templates), never on network or client stack: those are what crowds share, and
    // one campus NAT would otherwise make every key its students hold look coherent.
    const exclude: KeyFamily[] = [FAMILY_OF[kindOf(key)], 'network', 'client'];
    const rarity = (k: string): number => this.idf(this.df(k));
    const sample = b.sample;
    let pairs = 0;
    let related = 0;
    for (let i = 0; i < sample.length; i++) {
      const ai = (sample[i] as { account: string }).account;
      const a = this.keys(ai);
      for (let j = i + 1; j < sample.length; j++) {
        const aj = (sample[j] as { account: string }).account;
        const b = this.keys(aj);
        pairs += 1;
        // Walk the shorter key list: a holder that rotates IPs holds thousands of keys.
        const shared = b.length < a.length ? sharedKeys(b, this.keySet(ai)) : sharedKeys(a, this.keySet(aj));
        if (pairWeight(shared, rarity, exclude).weight >= this.limits.relatedWeight) related += 1;
      }
    }
    b.coherence = pairs === 0 ? 0 : related / pairs;
    b.coherenceDf = b.df;
    return b.coherence;
  }

  /** Counts for the benchmark and the documentation of memory use. */
  stats(): { keys: number; accounts: number; postings: number } {
    let postings = 0;
    for (const b of this.buckets.values()) postings += b.members.length;
    return { keys: this.buckets.size, accounts: this.keysOf.size, postings };
  }
}

const EMPTY: ReadonlySet<string> = new Set();
