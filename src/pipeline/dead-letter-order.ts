import type { DeadLetter } from '../ingest/index.js';

/**
 * Writes dead letters in input order (file, then line), as the in-process scan does, although
 * the partitioned scan learns of them out of order: the main thread rejects some lines itself
 * while partitions still hold earlier ones, and partitions finish their batches in any order.
 * A dead letter is held until no open batch (filled or in flight) holds an earlier line, so the
 * file is the same whatever the thread timing and whatever the number of partitions.
 */
export class LineOrderedDeadLetters {
  /** Dead letters not yet written: a binary min-heap on (order key, arrival), so a corrupt file costs O(log n) each. */
  private readonly held: { key: number; seq: number; letter: DeadLetter }[] = [];
  private arrivals = 0;
  /** Open batches: order key of their first line, and the index of their file. */
  private readonly open = new Map<number, { first: number; file: number }>();

  constructor(private readonly write: (d: DeadLetter) => void) {}

  /** Line `line` (1-based) of the `file`-th input (0-based) as one comparable number. */
  static key(file: number, line: number): number {
    return file * 2 ** 32 + line;
  }

  /** Batch `id` starts holding lines at this line of this input: later dead letters wait for it. */
  opened(id: number, file: number, firstLine: number): void {
    this.open.set(id, { first: LineOrderedDeadLetters.key(file, firstLine), file });
  }

  /** A dead letter found outside any batch, at line `d.line` of the `file`-th input. */
  add(file: number, d: DeadLetter): void {
    this.push(LineOrderedDeadLetters.key(file, d.line), d);
    this.release();
  }

  /** Batch `id` is done, with the dead letters of its lines (nothing was held for a batch never opened). */
  closed(id: number, dead: readonly DeadLetter[]): void {
    const batch = this.open.get(id);
    this.open.delete(id);
    if (batch !== undefined)
      for (const d of dead) this.push(LineOrderedDeadLetters.key(batch.file, d.line), d);
    this.release();
  }

  /** How many are held (for tests and the end-of-scan check). */
  get pending(): number {
    return this.held.length;
  }

  /** Writes every held dead letter that no open batch can precede. */
  private release(): void {
    if (this.held.length === 0) return;
    let bound = Number.POSITIVE_INFINITY;
    for (const b of this.open.values()) if (b.first < bound) bound = b.first;
    while (this.held.length > 0 && this.held[0]!.key < bound) this.write(this.pop());
  }

  private before(i: number, j: number): boolean {
    const a = this.held[i]!;
    const b = this.held[j]!;
    return a.key < b.key || (a.key === b.key && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.held[i]!;
    this.held[i] = this.held[j]!;
    this.held[j] = t;
  }

  private push(key: number, letter: DeadLetter): void {
    const h = this.held;
    h.push({ key, seq: this.arrivals++, letter });
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): DeadLetter {
    const h = this.held;
    const top = h[0]!.letter;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(l, m)) m = l;
        if (r < h.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}
