import type { Finding } from '../domain/index.js';
import type { AccountFeatures, AccountMeta, LexicalBaseline } from '../features/index.js';
import { deriveFeatures, UnitState } from '../features/index.js';
import { accountTrust } from './account-meta/detect.js';
import { sketchSignals } from './sketch-signals.js';
import type { AccountMetaParams } from './account-meta/definition.js';
import { combineScore, familyScores } from './combine.js';
import type { CombineSettings } from './combine.js';
import type { BoundDetector } from './registry.js';
import type { DetectContext, Family } from './types.js';

const REEVALUATE_MS = 6 * 3_600_000;
const MAX_EXTERNAL = 5;

/** Everything a unit needs to score itself; shared by all units of a stage. */
export interface ScoringContext {
  detectors: readonly BoundDetector[];
  familyOf: ReadonlyMap<string, Family>;
  detect: DetectContext;
  combine: CombineSettings;
  metaParams: AccountMetaParams;
  baseline: LexicalBaseline | null;
  threshold: number;
}

/**
 * An account or an end user: its bounded state plus its verdict so far. The score is the
 * peak over evaluations, so `flagged` ⇔ the score crossed the threshold at some point, and
 * the time and exchange count of the first crossing are kept.
 */
export class Unit {
  readonly state = new UnitState();
  ownScore = 0;
  score = 0;
  flagged = false;
  firstFlaggedTs: number | null = null;
  exchangesBeforeFlag: number | null = null;
  /** When this stage's own score first crossed the threshold (not campaign propagation). */
  ownFlaggedTs: number | null = null;
  findings: Finding[] = [];
  external: Finding[] = [];
  lastEvalN = 0;
  lastEvalTs = Number.NEGATIVE_INFINITY;
  /** Upper bound on the score: resold accounts whose risk is explained by flagged end users are capped. */
  cap = 1;
  /** Sketch signals of the last evaluation (what its verdict was based on), reused by sketches in between. */
  evaluatedSignals: Record<string, number> | null = null;

  /**
   * Evaluation schedule, so scoring costs O(log n + n/256) per unit rather than O(n): at
   * 4 and at powers of two from 8, every 256 exchanges, and after 6 h of event time once the
   * count grew by a quarter (at least 8), so slow accounts are re-scored as their picture
   * changes. Flags are therefore raised at most one checkpoint late.
   */
  due(ts: number): boolean {
    const n = this.state.exchanges;
    if (n < 4 || n === this.lastEvalN) return false;
    if ((n & (n - 1)) === 0 || n % 256 === 0) return true;
    const grown = n - this.lastEvalN;
    return ts - this.lastEvalTs >= REEVALUATE_MS && grown >= 8 && grown * 4 >= n;
  }

  features(meta: AccountMeta | null, ctx: ScoringContext): AccountFeatures {
    return deriveFeatures(this.state, meta, ctx.baseline);
  }

  evaluate(ts: number, meta: AccountMeta | null, ctx: ScoringContext): void {
    this.lastEvalN = this.state.exchanges;
    this.lastEvalTs = ts;
    const f = this.features(meta, ctx);
    this.evaluatedSignals = sketchSignals(f, this.state.exchanges);
    const findings: Finding[] = [];
    for (const d of ctx.detectors) {
      const r = d.run(f, ctx.detect);
      if (r !== null) findings.push(r);
    }
    const trust = accountTrust(f, ctx.metaParams);
    const own = Math.min(this.cap, combineScore(familyScores(findings, ctx.familyOf), ctx.combine, trust));
    if (own >= this.ownScore) {
      this.ownScore = own;
      this.findings = findings; // evidence of the peak
    }
    this.score = Math.max(this.score, this.ownScore);
    if (this.ownScore >= ctx.threshold) {
      this.ownFlaggedTs ??= ts;
      if (!this.flagged) this.markFlagged(ts);
    }
  }

  flagExternally(ts: number, finding: Finding): void {
    const i = this.external.findIndex((e) => e.detector === finding.detector);
    if (i >= 0) this.external[i] = finding;
    else if (this.external.length < MAX_EXTERNAL) this.external.push(finding);
    this.score = Math.max(this.score, finding.score);
    if (!this.flagged) this.markFlagged(ts);
  }

  private markFlagged(ts: number): void {
    this.flagged = true;
    this.firstFlaggedTs = ts;
    // Exchanges served up to and including the one that triggered the flag.
    this.exchangesBeforeFlag = this.state.exchanges;
  }

  reasons(): Finding[] {
    return [...this.findings].sort((a, b) => b.score - a.score).concat(this.external);
  }
}
