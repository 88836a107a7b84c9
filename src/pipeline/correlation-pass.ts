import type { AccountSketch, Finding } from '../domain/index.js';
import type { CorrelationStage } from '../correlate/index.js';

/** Matches local sketches against indicators pulled from peers (see intel/). */
export interface SketchMatcher {
  match(sketch: AccountSketch): Finding | null;
}

export interface Flag {
  account: string;
  finding: Finding;
}

/**
 * One correlation pass at event time `now`: remember the newest sketch of each changed
 * account, match peers' indicators, update campaigns, and return the accounts to flag.
 * Sketches are sorted by account first, so the result does not depend on which thread or
 * partition produced them.
 */
export function correlationPass(
  dirty: AccountSketch[],
  now: number,
  correlation: CorrelationStage,
  latest: Map<string, AccountSketch>,
  matcher: SketchMatcher | undefined,
): Flag[] {
  dirty.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  for (const s of dirty) latest.set(s.account, s);
  const flags: Flag[] = [];
  if (matcher) {
    for (const s of dirty) {
      const f = matcher.match(s);
      if (f) flags.push({ account: s.account, finding: f });
    }
  }
  for (const f of correlation.update(dirty, now)) flags.push({ account: f.account, finding: f.finding });
  return flags;
}

/** Event-time boundaries for correlation passes: fixed multiples of the interval after the first event. */
export class PassClock {
  firstTs: number | null = null;
  lastTs: number | null = null;
  passes = 0;
  private next: number | null = null;

  constructor(private readonly everyMs: number) {}

  /** Advances event time; returns the pass time due before this event, or null. Late events never move time back. */
  advance(ts: number): number | null {
    if (this.next === null) {
      this.next = ts + this.everyMs;
      this.firstTs = ts;
    }
    if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    if (this.lastTs < this.next) return null;
    const due = this.next;
    this.next = this.lastTs - (this.lastTs % this.everyMs) + this.everyMs;
    this.passes++;
    return due;
  }

  finalPass(): number {
    this.passes++;
    return this.lastTs ?? 0;
  }
}
