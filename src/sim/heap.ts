/** Items the heap orders: by next timestamp, ties broken by a fixed order so merges are deterministic. */
export interface Timed {
  nextTs: number;
  readonly order: number;
}

function less(a: Timed, b: Timed): boolean {
  return a.nextTs < b.nextTs || (a.nextTs === b.nextTs && a.order < b.order);
}

/** A binary min-heap whose top is re-keyed in place after each step (no pop/push churn). */
export class TimeHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pi = a[p] as T;
      if (!less(item, pi)) break;
      a[i] = pi;
      i = p;
    }
    a[i] = item;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Restores order after the top item's key changed; removes it when it has nothing left to emit. */
  updateTop(): void {
    const a = this.items;
    const top = a[0];
    if (top === undefined) return;
    if (top.nextTs === Infinity) {
      const last = a.pop() as T;
      if (a.length === 0) return;
      a[0] = last;
    }
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const a = this.items;
    const n = a.length;
    const item = a[start] as T;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && less(a[r] as T, a[l] as T)) c = r;
      const child = a[c] as T;
      if (!less(child, item)) break;
      a[i] = child;
      i = c;
    }
    a[i] = item;
  }
}
