import type { AccountResult, Campaign, Decision } from '../domain/index.js';
import type { FinalizedResults } from './cluster-results.js';

/**
 * Writes periodic results without holding up the correlator: while one write runs, later
 * periodic sets are merged into the next one (newest row per account and decision, newest
 * campaigns and summary), so a replay that produces result sets faster than the database
 * takes them writes fewer, larger batches instead of stalling every tick behind it. A final
 * set waits for everything before it, then is written itself.
 */
export class CoalescingWriter {
  private pending: FinalizedResults | null = null;
  private running: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly write: (f: FinalizedResults) => Promise<void>,
    private readonly onWritten?: (f: FinalizedResults) => void,
  ) {}

  /** Queues a periodic set; returns at once (a failed earlier write is thrown here). */
  periodic(f: FinalizedResults): void {
    if (this.failure !== null) throw this.failure;
    this.pending = this.pending === null ? f : merge(this.pending, f);
    this.running ??= this.loop();
  }

  /** Writes everything queued, then `f`. */
  async final(f: FinalizedResults): Promise<void> {
    await this.drain();
    await this.write(f);
    this.onWritten?.(f);
  }

  async drain(): Promise<void> {
    while (this.running !== null) await this.running;
    if (this.failure !== null) throw this.failure;
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending !== null) {
        const f = this.pending;
        this.pending = null;
        await this.write(f);
        this.onWritten?.(f);
      }
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
    } finally {
      this.running = null;
    }
  }
}

const accountKey = (a: AccountResult): string => `${a.account}\u0000${a.end_user ?? ''}`;

function merge(a: FinalizedResults, b: FinalizedResults): FinalizedResults {
  const accounts = new Map<string, AccountResult>();
  for (const r of a.accounts) accounts.set(accountKey(r), r);
  for (const r of b.accounts) accounts.set(accountKey(r), r);
  const decisions = new Map<string, Decision>();
  for (const d of a.decisions) decisions.set(d.id, d);
  for (const d of b.decisions) decisions.set(d.id, d);
  const campaigns = new Map<string, Campaign>();
  for (const c of a.campaigns) campaigns.set(c.id, c);
  for (const c of b.campaigns) campaigns.set(c.id, c);
  return {
    accounts: [...accounts.values()],
    decisions: [...decisions.values()],
    campaigns: [...campaigns.values()],
    summary: b.summary,
  };
}
