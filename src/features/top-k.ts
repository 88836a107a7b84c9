/**
 * Space-Saving heavy hitters with a fixed number of slots (Metwally et al. 2005): the
 * most frequent keys of a stream in O(k) memory. A key that takes over a slot inherits
 * the evicted count as its possible error, so `guaranteed` (count − error) never
 * over-states a key's frequency: shares computed from it are safe on all-distinct streams.
 * Used for IPs, subnets, ASNs, TLS fingerprints, user agents, models and prompt affixes.
 */
export class TopK<K extends string | number> {
  /**
   * Fixed-capacity arrays filled up to `size`: `push` would grow a backing store to 17
   * slots, several times what a 4-slot sketch needs, in every one of a million accounts.
   */
  readonly keys: K[];
  readonly counts: number[];
  readonly errors: number[];
  size = 0;
  /** Bumped whenever the set of tracked keys changes (a key enters a slot), not on count changes. */
  version = 0;
  constructor(readonly capacity: number) {
    this.keys = new Array<K>(capacity);
    this.counts = new Array<number>(capacity).fill(0);
    this.errors = new Array<number>(capacity).fill(0);
  }

  add(key: K, weight = 1): void {
    const keys = this.keys;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      if (keys[i] === key) {
        this.counts[i] = (this.counts[i] ?? 0) + weight;
        return;
      }
    }
    this.version++;
    if (n < this.capacity) {
      keys[n] = key;
      this.counts[n] = weight;
      this.errors[n] = 0;
      this.size = n + 1;
      return;
    }
    let min = 0;
    for (let i = 1; i < n; i++) if ((this.counts[i] ?? 0) < (this.counts[min] ?? 0)) min = i;
    const evicted = this.counts[min] ?? 0;
    keys[min] = key;
    this.errors[min] = evicted;
    this.counts[min] = evicted + weight;
  }

  /** Keys, most frequent first (ties by slot order, so output is deterministic). */
  top(limit = this.capacity): K[] {
    return this.ranked()
      .slice(0, limit)
      .map((i) => this.keys[i] as K);
  }

  /** Estimated count of the most frequent key (0 when empty). */
  maxCount(): number {
    let m = 0;
    for (let i = 0; i < this.size; i++) if ((this.counts[i] ?? 0) > m) m = this.counts[i] ?? 0;
    return m;
  }

  /** Sum of the `limit` largest guaranteed counts (a lower bound on their true total). */
  guaranteedTop(limit: number): number {
    const g: number[] = [];
    for (let i = 0; i < this.size; i++) g.push((this.counts[i] ?? 0) - (this.errors[i] ?? 0));
    g.sort((a, b) => b - a);
    let sum = 0;
    for (let i = 0; i < Math.min(limit, g.length); i++) sum += g[i] ?? 0;
    return sum;
  }

  countOf(key: K): number {
    for (let i = 0; i < this.size; i++) if (this.keys[i] === key) return this.counts[i] ?? 0;
    return 0;
  }

  private ranked(): number[] {
    const idx = Array.from({ length: this.size }, (_, i) => i);
    return idx.sort((a, b) => (this.counts[b] ?? 0) - (this.counts[a] ?? 0) || a - b);
  }
}
