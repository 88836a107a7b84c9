/**
 * Remembers event ids seen within a window of event time, so replays and retries count once
 * while memory stays bounded: ids older than the window are forgotten (hourly buckets).
 * Ids are kept as 52-bit hashes (a collision within one window of a million ids has odds of ~1e-4).
 */
export class DedupWindow {
  /** id hash → hour bucket in which it was last seen. */
  private readonly lastSeen = new Map<number, number>();
  /** hour bucket → hashes added in it, so a whole hour can be forgotten at once. */
  private readonly byBucket = new Map<number, number[]>();
  private newestBucket = -Infinity;

  constructor(private readonly windowMs: number = 24 * 3_600_000) {}

  /** True if the id was already seen in the window; otherwise remembers it. */
  seen(id: string, ts: number): boolean {
    const h = hash52(id);
    if (this.lastSeen.has(h)) return true;
    const b = Math.floor(ts / 3_600_000);
    this.lastSeen.set(h, b);
    let list = this.byBucket.get(b);
    if (!list) {
      list = [];
      this.byBucket.set(b, list);
    }
    list.push(h);
    if (b > this.newestBucket) {
      this.newestBucket = b;
      this.evict();
    }
    return false;
  }

  size(): number {
    return this.lastSeen.size;
  }

  private evict(): void {
    const oldest = this.newestBucket - Math.ceil(this.windowMs / 3_600_000);
    for (const [b, list] of this.byBucket) {
      if (b >= oldest) continue;
      for (const h of list) if (this.lastSeen.get(h) === b) this.lastSeen.delete(h);
      this.byBucket.delete(b);
    }
  }
}

/** Two independent 32-bit FNV-1a style hashes folded into 52 bits (exact in a double). */
export function hash52(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
}
