import type { AccountResult, Finding } from '../domain/index.js';

/** Same bound as a unit's own list of outside findings: one per detector, at most five. */
const MAX_EXTERNAL = 5;

interface ExternalRecord {
  /** Event time of the pass that first flagged the account. */
  ts: number;
  /** The account's exchanges when that pass ran (served before the flag). */
  exchanges: number;
  score: number;
  findings: Finding[];
}

/**
 * Flags raised from outside an account's own partition (campaign propagation, peers'
 * indicators), kept beside the per-account stage instead of inside it, and merged into the
 * results at the end.
 *
 * Why beside: nothing the per-account stage computes depends on these flags (own scores,
 * evaluation schedules and sketches ignore them), so keeping them here lets partitions run
 * ahead of the correlation pass instead of stopping at every tick to wait for it. The merge
 * reproduces exactly what applying each flag inside the stage at its pass time would give:
 * a pass at time T runs before any event at T or later, so an outside flag wins over the
 * account's own first flag when T ≤ the own flag's time.
 */
export class ExternalFlags {
  private readonly byAccount = new Map<string, ExternalRecord>();

  record(account: string, ts: number, exchanges: number, finding: Finding): void {
    let r = this.byAccount.get(account);
    if (r === undefined) {
      r = { ts, exchanges, score: finding.score, findings: [] };
      this.byAccount.set(account, r);
    } else r.score = Math.max(r.score, finding.score);
    const i = r.findings.findIndex((f) => f.detector === finding.detector);
    if (i >= 0) r.findings[i] = finding;
    else if (r.findings.length < MAX_EXTERNAL) r.findings.push(finding);
  }

  get size(): number {
    return this.byAccount.size;
  }

  /** The account-level result with its outside flags folded in; end-user results pass unchanged. */
  apply(result: AccountResult): AccountResult {
    if (result.end_user !== undefined) return result;
    const ext = this.byAccount.get(result.account);
    if (ext === undefined) return result;
    const merged: AccountResult = {
      ...result,
      score: Math.max(result.score, Math.min(1, Math.max(0, ext.score))),
      flagged: true,
      action: 'review',
      reasons: result.reasons.concat(ext.findings),
    };
    if (!result.flagged || result.first_flagged_ts === null || ext.ts <= result.first_flagged_ts) {
      merged.first_flagged_ts = ext.ts;
      merged.exchanges_before_flag = ext.exchanges;
    }
    return merged;
  }
}
