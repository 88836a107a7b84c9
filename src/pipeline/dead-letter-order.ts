import type { DeadLetter } from '../ingest/index.js';

/**
 * Writes dead letters in input order (file, then line), as the in-process scan does, although
 * the partitioned scan learns of them out of order: the main thread rejects some lines itself
 * while partitions still hold earlier ones, and partitions finish their batches in any order.
 * A dead letter is held until no open batch (filled or in flight) holds an earlier line, so the
 * file is the same whatever the thread timing and whatever the number of partitions.
 */
export class LineOrderedDeadLetters {
  /** Dead letters not yet written, with their order keys. */
  private held: { key: number; letter: DeadLetter }[] = [];
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
    this.held.push({ key: LineOrderedDeadLetters.key(file, d.line), letter: d });
    this.release();
  }

  /** Batch `id` is done, with the dead letters of its lines (nothing was held for a batch never opened). */
  closed(id: number, dead: readonly DeadLetter[]): void {
    const batch = this.open.get(id);
    this.open.delete(id);
    if (batch !== undefined)
      for (const d of dead)
        this.held.push({ key: LineOrderedDeadLetters.key(batch.file, d.line), letter: d });
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
    if (this.held.every((h) => h.key >= bound)) return;
    // Stable sort: dead letters of one line (never more than one today) keep their arrival order.
    this.held.sort((a, b) => a.key - b.key);
    let n = 0;
    while (n < this.held.length && this.held[n]!.key < bound) this.write(this.held[n++]!.letter);
    this.held = this.held.slice(n);
  }
}
