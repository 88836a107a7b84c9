import { hashString } from './hash.js';

/**
 * Bottom-k sample keyed by a hash of the event id: keeps the k items with the smallest
 * priority. Deterministic and independent of arrival order, and the caller can ask
 * `wouldKeep` before paying for redaction.
 */
export class BottomK<T> {
  /** Grown one slot at a time (never past `capacity`), so small samples stay small. */
  priorities: number[] = [];
  items: T[] = [];
  constructor(readonly capacity: number) {}

  private append(priority: number, item: T): void {
    // Copy-on-grow to an exact-size array: `push` would reserve 17 slots.
    this.priorities = [...this.priorities, priority];
    this.items = [...this.items, item];
  }

  static priority(id: string): number {
    return hashString(id, 0x2545f491);
  }

  wouldKeep(priority: number): boolean {
    if (this.items.length < this.capacity) return !this.priorities.includes(priority);
    return priority < this.maxPriority() && !this.priorities.includes(priority);
  }

  offer(priority: number, item: T): void {
    if (!this.wouldKeep(priority)) return;
    if (this.items.length < this.capacity) {
      this.append(priority, item);
      return;
    }
    const worst = this.priorities.indexOf(this.maxPriority());
    this.priorities[worst] = priority;
    this.items[worst] = item;
  }

  /** Items in priority order (deterministic). */
  values(): T[] {
    return this.priorities
      .map((p, i) => [p, i] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, i]) => this.items[i] as T);
  }

  private maxPriority(): number {
    let m = -1;
    for (const p of this.priorities) if (p > m) m = p;
    return m;
  }
}
