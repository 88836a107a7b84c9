import type { AccountResult, AccountSketch } from '../domain/index.js';
import type { DirtyDrain } from '../detectors/index.js';
import type { CorrelationStage } from '../correlate/index.js';
import { correlationPass, type Flag, type SketchMatcher } from './correlation-pass.js';
import { ExternalFlags } from './external-flags.js';

/**
 * Runs the embedded scan's correlation passes over what the per-account stage (one, or one
 * per partition) drained at each tick, and keeps the outside flags they raise for the merge
 * into the results. Each account's exchange count as of the last pass is kept so a flag
 * records how many exchanges were served before it, whether or not a new sketch was sent.
 */
export class CorrelationDriver {
  readonly latest = new Map<string, AccountSketch>();
  private readonly exchanges = new Map<string, number>();
  private readonly external = new ExternalFlags();

  constructor(
    private readonly correlation: CorrelationStage,
    private readonly matcher: SketchMatcher | undefined,
  ) {}

  /** One pass at event time `now` over the drains of every partition; returns the flags it raised. */
  pass(drains: readonly DirtyDrain[], now: number): Flag[] {
    const sketches: AccountSketch[] = [];
    for (const d of drains) {
      for (const s of d.sketches) {
        sketches.push(s);
        this.exchanges.set(s.account, s.exchanges);
      }
      for (let i = 0; i < d.accounts.length; i++) this.exchanges.set(d.accounts[i]!, d.exchanges[i]!);
    }
    const flags = correlationPass(sketches, now, this.correlation, this.latest, this.matcher);
    // Every flagged account was in some drain (it has a sketch), so its count is known.
    for (const f of flags)
      this.external.record(f.account, now, this.exchanges.get(f.account) ?? 0, f.finding);
    return flags;
  }

  result(r: AccountResult): AccountResult {
    return this.external.apply(r);
  }
}
