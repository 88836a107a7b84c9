/**
 * Space-Saving heavy hitters with a fixed number of slots (Metwally et al. 2005): the
 * most frequent keys of a stream in O(k) memory, counts over-estimated by at most the
 * smallest slot's count. Used for IPs, subnets, ASNs, TLS fingerprints, user agents,
 * models and prompt wrappers.
 */
export class TopK<K extends string | number> {
  readonly keys: K[] = [];
  readonly counts: number[] = [];
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
      return;
    }
    let min = 0;
    for (let i = 1; i < keys.length; i++) if ((this.counts[i] ?? 0) < (this.counts[min] ?? 0)) min = i;
    keys[min] = key;
    this.counts[min] = (this.counts[min] ?? 0) + weight;
  }

  /** Keys, most frequent first (ties by first insertion, so output is deterministic). */
  top(limit = this.capacity): K[] {
    return this.ranked()
      .slice(0, limit)
      .map((i) => this.keys[i] as K);
  }

  /** Count of the most frequent key (0 when empty). */
  maxCount(): number {
    let m = 0;
    for (const c of this.counts) if (c > m) m = c;
    return m;
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
