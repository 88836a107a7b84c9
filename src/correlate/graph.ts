/**
 * The account graph: candidate edges (pairs that share enough to be linked if their shared
 * values stay specific) and a union-find over the edges that were valid when added. The
 * union-find only ever merges, so it is a cheap, incremental over-approximation of the
 * components; `component()` re-checks edges against current weights before anything is flagged.
 */
export class AccountGraph {
  private readonly adj = new Map<string, Map<string, readonly string[]>>();
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();
  /** Members of each coarse component, kept at its root (merging moves the smaller list). */
  private readonly lists = new Map<string, string[]>();

  /** Records (or refreshes) the shared keys of a pair. */
  setEdge(a: string, b: string, shared: readonly string[]): void {
    this.neighbours(a).set(b, shared);
    this.neighbours(b).set(a, shared);
  }

  shared(a: string, b: string): readonly string[] | undefined {
    return this.adj.get(a)?.get(b);
  }

  edgesOf(a: string): ReadonlyMap<string, readonly string[]> {
    return this.adj.get(a) ?? EMPTY;
  }

  get edgeCount(): number {
    let n = 0;
    for (const m of this.adj.values()) n += m.size;
    return n / 2;
  }

  private neighbours(a: string): Map<string, readonly string[]> {
    let m = this.adj.get(a);
    if (!m) {
      m = new Map();
      this.adj.set(a, m);
    }
    return m;
  }

  find(a: string): string {
    let root = a;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    // Path compression: point every node on the way straight at the root.
    let x = a;
    while (x !== root) {
      const next = this.parent.get(x) ?? root;
      this.parent.set(x, root);
      x = next;
    }
    return root;
  }

  /** Merges the coarse components of a and b; the larger absorbs the smaller (ties: smaller id). */
  union(a: string, b: string): string {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    const sa = this.size.get(ra) ?? 1;
    const sb = this.size.get(rb) ?? 1;
    const [big, small] = sa > sb || (sa === sb && ra < rb) ? [ra, rb] : [rb, ra];
    this.parent.set(small, big);
    this.size.set(big, sa + sb);
    this.size.delete(small);
    const into = this.lists.get(big) ?? [big];
    for (const x of this.lists.get(small) ?? [small]) into.push(x);
    this.lists.set(big, into);
    this.lists.delete(small);
    return big;
  }

  /** Members of a's coarse component (at least a itself). */
  coarseMembers(a: string): readonly string[] {
    const root = this.find(a);
    return this.lists.get(root) ?? [root];
  }

  coarseSize(a: string): number {
    return this.size.get(this.find(a)) ?? 1;
  }

  /**
   * The component of `start` over edges that pass `valid` now, visited breadth-first with
   * neighbours in sorted order (deterministic). Stops at `limit` nodes.
   */
  component(start: string, valid: (shared: readonly string[]) => boolean, limit: number): string[] {
    const seen = new Set<string>([start]);
    const queue = [start];
    for (let i = 0; i < queue.length && seen.size < limit; i++) {
      const node = queue[i] as string;
      const next = [...this.edgesOf(node)].filter(([n, s]) => !seen.has(n) && valid(s)).map(([n]) => n);
      for (const n of next.sort()) {
        if (seen.size >= limit) break;
        seen.add(n);
        queue.push(n);
      }
    }
    return queue;
  }
}

const EMPTY: ReadonlyMap<string, readonly string[]> = new Map();
