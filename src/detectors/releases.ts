import type { ModelRelease } from '../domain/index.js';
import type { ReleaseWindow } from '../features/index.js';

/** How long after a release an account's traffic counts toward its pivot share. */
export const PIVOT_WINDOW_MS = 24 * 3_600_000;

/**
 * Model releases seen so far (a short list: releases are rare). `windowAt(ts)` is the
 * most recent release at or before `ts` whose pivot window is still open.
 */
export class ReleaseTracker {
  private readonly releases: ReleaseWindow[] = [];
  private readonly seen = new Set<string>();

  add(rec: ModelRelease): void {
    const key = `${rec.model}@${rec.released}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.releases.push({ index: this.releases.length, model: rec.model, released: rec.released });
  }

  windowAt(ts: number): ReleaseWindow | null {
    let best: ReleaseWindow | null = null;
    for (let i = this.releases.length - 1; i >= 0; i--) {
      const r = this.releases[i] as ReleaseWindow;
      if (
        r.released <= ts &&
        ts - r.released <= PIVOT_WINDOW_MS &&
        (best === null || r.released > best.released)
      )
        best = r;
    }
    return best;
  }
}
