/**
 * Space-Saving heavy hitters with a fixed number of slots (Metwally et al. 2005): the
 * most frequent keys of a stream in O(k) memory. A key that takes over a slot inherits
 * the evicted count as its possible error, so `guaranteed` (count − error) never
 * over-states a key's frequency: shares computed from it are safe on all-distinct streams.
 * Used for IPs, subnets, ASNs, TLS fingerprints, user agents, models and prompt affixes.
 */
export class TopK<K extends string | number> {
  readonly keys: K[] = [];
  readonly counts: number[] = [];
  readonly errors: number[] = [];
  constructor(readonly capacity: number) {}

  add(key: K, weight = 1): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === key) {
        this.counts[i] = (this.counts[i] ?? 0) + weight;
        return;
      }
    }
    if (keys.length < this.capacity) {
      keys.push(key);
      this.counts.push(weight);
      this.errors.push(0);
      return;
    }
    let min = 0;
    for (let i = 1; i < keys.length; i++) if ((this.counts[i] ?? 0) < (this.counts[min] ?? 0)) min = i;
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
    for (const c of this.counts) if (c > m) m = c;
    return m;
  }

  /** Sum of the `limit` largest guaranteed counts (a lower bound on their true total). */
  guaranteedTop(limit: number): number {
    const g = this.counts.map((c, i) => c - (this.errors[i] ?? 0)).sort((a, b) => b - a);
    let sum = 0;
    for (let i = 0; i < Math.min(limit, g.length); i++) sum += g[i] ?? 0;
    return sum;
  }

  countOf(key: K): number {
    const i = this.keys.indexOf(key);
    return i < 0 ? 0 : (this.counts[i] ?? 0);
  }

  private ranked(): number[] {
    const idx = this.keys.map((_, i) => i);
    return idx.sort((a, b) => (this.counts[b] ?? 0) - (this.counts[a] ?? 0) || a - b);
  }
}
