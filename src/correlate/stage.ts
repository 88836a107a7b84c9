import type { AccountSketch, Campaign, Finding, LinkReason } from '../domain/index.js';
import { edgeReasons, pairWeight, sharedKeys } from './evidence.js';
import { AccountGraph } from './graph.js';
import { digest } from './hash.js';
import { KeyIndex } from './key-index.js';
import { baseWeightOf, sketchKeys } from './keys.js';
import { resolveOptions, type CorrelationOptions, type CorrelationOverrides } from './options.js';
import { campaignFinding, campaignRecord } from './report.js';
import { scoreCampaign, type CampaignSignals } from './score.js';

export interface CampaignFlag {
  account: string;
  campaign: string;
  finding: Finding;
}

export interface CorrelationStage {
  /** Takes the sketches of accounts changed since the last call; returns accounts newly flagged by campaign. */
  update(sketches: AccountSketch[], nowTs: number): CampaignFlag[];
  /** Flagged campaigns only (unflagged groups are not listed), ordered by id. */
  campaigns(): Campaign[];
  /** The flagged campaign an account belongs to, or null. */
  campaignOf(account: string): string | null;
}

interface CampaignState {
  id: string;
  members: Set<string>;
  first_flagged_ts: number;
}

/**
 * The correlation stage: links accounts that share specific values, groups them, scores the
 * groups as campaigns and flags every member of a campaign that scores high enough, however
 * light each account is on its own. Consumes sketches only, so it can run as its own process.
 *
 * @example
 * const stage = createCorrelationStage();
 * for (const flag of stage.update(drainedSketches, nowTs)) pipeline.flag(flag.account, nowTs, flag.finding);
 */
export function createCorrelationStage(overrides: CorrelationOverrides = {}): CorrelationStage {
  return new Correlator(resolveOptions(overrides));
}

class Correlator implements CorrelationStage {
  private readonly index: KeyIndex;
  private readonly graph = new AccountGraph();
  private readonly sketches = new Map<string, AccountSketch>();
  private readonly byId = new Map<string, CampaignState>();
  private readonly membership = new Map<string, string>();
  /** Last evaluation of each coarse group (by root): its size and event time, to bound re-scoring. */
  private readonly evaluated = new Map<string, { size: number; ts: number; interval: number }>();
  /** Campaign signals computed during the current update, reused for every account that joins. */
  private signalMemo = new Map<string, CampaignSignals>();

  constructor(private readonly opt: CorrelationOptions) {
    this.index = new KeyIndex(opt);
  }

  update(batch: AccountSketch[], nowTs: number): CampaignFlag[] {
    this.index.newEpoch();
    this.signalMemo = new Map();
    const latest = new Map<string, AccountSketch>();
    for (const s of batch) latest.set(s.account, s);
    const accounts = [...latest.keys()].sort();
    const added = new Map<string, string[]>();
    for (const account of accounts) {
      const s = latest.get(account) as AccountSketch;
      this.sketches.set(account, s);
      added.set(account, this.index.add(account, sketchKeys(s, this.opt)));
    }
    const fresh: [string, string][] = [];
    for (const account of accounts) {
      const keys = added.get(account) ?? [];
      if (keys.length > 0) this.link(account, keys, fresh);
    }
    const out: CampaignFlag[] = [];
    this.propagate(fresh, nowTs, out);
    this.discover(accounts, nowTs, out);
    return out;
  }

  campaignOf(account: string): string | null {
    return this.membership.get(account) ?? null;
  }

  campaigns(): Campaign[] {
    this.index.newEpoch();
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id)).map((c) => this.record(c));
  }

  private valid = (shared: readonly string[]): boolean => this.weight(shared) >= this.opt.edgeThreshold;

  private weight = (shared: readonly string[]): number => pairWeight(shared, this.index.spec).weight;

  /** Compares an account with the holders of its new keys (rarest first) and records edges. */
  private link(account: string, keys: readonly string[], fresh: [string, string][]): void {
    // A key too common or too weak to contribute much cannot make a pair reach the edge
    // threshold on its own; pairs it belongs to are found through their stronger keys.
    const ordered = keys
      .filter((k) => baseWeightOf(k) * this.index.spec(k) >= this.opt.candidateFloor)
      .sort((a, b) => this.index.df(a) - this.index.df(b) || (a < b ? -1 : 1));
    const seen = new Set<string>([account]);
    const mine = this.index.keys(account);
    const mineSet = this.index.keySet(account);
    let kept = 0;
    for (const key of ordered) {
      // A handful of the strongest ties keeps a group connected; more only costs memory.
      if (seen.size > this.opt.maxCandidates || kept >= this.opt.maxNewEdges) break;
      for (const other of this.index.candidates(key, this.opt.anchors)) {
        if (seen.has(other)) continue;
        seen.add(other);
        // Walk the shorter key list: an account that rotates IPs holds thousands of keys.
        const theirs = this.index.keys(other);
        const shared =
          theirs.length < mine.length
            ? sharedKeys(theirs, mineSet)
            : sharedKeys(mine, this.index.keySet(other));
        // Keep pairs that are edges now or close to it (a value's specificity can rise as its
        // holders turn out to be related); far weaker pairs are dropped to bound memory.
        const weight = this.weight(shared);
        if (weight < this.opt.keepRatio * this.opt.edgeThreshold) continue;
        this.graph.setEdge(account, other, shared);
        kept += 1;
        if (weight >= this.opt.edgeThreshold) {
          this.graph.union(account, other);
          fresh.push([account, other]);
        }
      }
    }
  }

  /** New edges into a flagged campaign bring the other end in at once (no re-scoring needed). */
  private propagate(fresh: readonly [string, string][], nowTs: number, out: CampaignFlag[]): void {
    for (const [a, b] of fresh) {
      const ca = this.membership.get(a);
      const cb = this.membership.get(b);
      if (ca !== undefined && cb !== undefined) {
        if (ca !== cb) this.merge([ca, cb]);
      } else if (ca !== undefined) {
        this.join(b, ca, nowTs, out, this.reasonsBetween(b, new Set([a])));
      } else if (cb !== undefined) {
        this.join(a, cb, nowTs, out, this.reasonsBetween(a, new Set([b])));
      }
    }
  }

  /**
   * Re-examines the groups touched by this update: walks the valid edges from each touched,
   * unassigned account (not through campaign members: reaching one is enough), then either
   * joins the group to the campaign it touches or scores it as a new campaign.
   */
  private discover(accounts: readonly string[], nowTs: number, out: CampaignFlag[]): void {
    const due = new Map<string, boolean>();
    const visited = new Set<string>();
    for (const a of accounts) {
      if (this.membership.has(a) || visited.has(a)) continue;
      const root = this.graph.find(a);
      const size = this.graph.coarseSize(root);
      if (size < this.opt.minSize) continue;
      if (!due.has(root)) due.set(root, this.isDue(root, size, nowTs));
      if (due.get(root) !== true) continue;
      const { group, touching } = this.walk(a);
      for (const x of group) visited.add(x);
      if (touching.length > 0) {
        const id = this.merge(touching);
        const inGroup = new Set(group);
        for (const x of group) this.join(x, id, nowTs, out, this.reasonsBetween(x, inGroup));
      } else if (group.length >= this.opt.minSize) {
        const signals = this.score(group);
        this.opt.observe?.(group, signals, nowTs);
        if (signals.score >= this.opt.flagThreshold) this.found(group, signals, nowTs, out);
      }
    }
    for (const [root, wasDue] of due) {
      if (!wasDue) continue;
      const size = this.graph.coarseSize(root);
      const last = this.evaluated.get(root);
      // A group that keeps its size and stays below the threshold is re-checked ever less often.
      const interval =
        last !== undefined && size < last.size * 1.05
          ? Math.min(2 * last.interval, this.opt.maxRescoreMs)
          : this.opt.rescoreMs;
      this.evaluated.set(root, { size, ts: nowTs, interval });
    }
  }

  /** A group is re-walked when it grew by 5% or more, or when its re-check interval has passed. */
  private isDue(root: string, size: number, nowTs: number): boolean {
    const last = this.evaluated.get(root);
    return last === undefined || size >= last.size * 1.05 || nowTs - last.ts >= last.interval;
  }

  private walk(start: string): { group: string[]; touching: string[] } {
    const seen = new Set<string>([start]);
    const queue = [start];
    const touching = new Set<string>();
    for (let i = 0; i < queue.length && queue.length < this.opt.maxComponent; i++) {
      const node = queue[i] as string;
      const next: string[] = [];
      for (const [n, shared] of this.graph.edgesOf(node)) {
        if (seen.has(n) || !this.valid(shared)) continue;
        seen.add(n);
        const c = this.membership.get(n);
        if (c !== undefined) touching.add(c);
        else next.push(n);
      }
      for (const n of next.sort()) queue.push(n);
    }
    return { group: queue, touching: [...touching].sort() };
  }

  private score(members: readonly string[]): CampaignSignals {
    const sketches = members
      .map((m) => this.sketches.get(m))
      .filter((s): s is AccountSketch => s !== undefined);
    return scoreCampaign(sketches, this.opt.score);
  }

  private found(
    group: readonly string[],
    signals: CampaignSignals,
    nowTs: number,
    out: CampaignFlag[],
  ): void {
    const id = `cmp-${digest(this.anchorOf(group)).slice(0, 12)}`;
    const state: CampaignState = { id, members: new Set(), first_flagged_ts: nowTs };
    this.byId.set(id, state);
    const inGroup = new Set(group);
    for (const account of [...group].sort()) {
      state.members.add(account);
      this.membership.set(account, id);
      const finding = campaignFinding({
        campaign: id,
        signals,
        threshold: this.opt.flagThreshold,
        reasons: this.reasonsBetween(account, inGroup),
        via: 'group',
      });
      out.push({ account, campaign: id, finding });
    }
  }

  /** The earliest member (by signup, then first activity, then id) names the campaign. */
  private anchorOf(group: readonly string[]): string {
    const when = (a: string): number => {
      const s = this.sketches.get(a);
      return s?.signup.created ?? s?.first_ts ?? Number.MAX_SAFE_INTEGER;
    };
    return [...group].sort((a, b) => when(a) - when(b) || (a < b ? -1 : 1))[0] as string;
  }

  private join(account: string, id: string, nowTs: number, out: CampaignFlag[], reasons: LinkReason[]): void {
    if (this.membership.has(account)) return;
    const state = this.byId.get(id);
    if (!state) return;
    state.members.add(account);
    this.membership.set(account, id);
    let signals = this.signalMemo.get(id);
    if (!signals) {
      // A sample of members is enough to describe the campaign in the finding.
      signals = this.score([...state.members].slice(0, 2_000));
      this.signalMemo.set(id, signals);
    }
    signals = { ...signals, size: state.members.size };
    const finding = campaignFinding({
      campaign: id,
      signals,
      threshold: this.opt.flagThreshold,
      reasons,
      via: 'link',
    });
    out.push({ account, campaign: id, finding });
  }

  /** Merges campaigns into the one flagged first (ties: smallest id), which keeps its id. */
  private merge(ids: readonly string[]): string {
    const states = ids.map((id) => this.byId.get(id)).filter((s): s is CampaignState => s !== undefined);
    states.sort((a, b) => a.first_flagged_ts - b.first_flagged_ts || a.id.localeCompare(b.id));
    const keep = states[0] as CampaignState;
    for (const other of states.slice(1)) {
      for (const m of other.members) {
        keep.members.add(m);
        this.membership.set(m, keep.id);
      }
      this.byId.delete(other.id);
    }
    return keep.id;
  }

  /** Reasons on the valid edges from an account to any of `others` (bounded). */
  private reasonsBetween(account: string, others: ReadonlySet<string>): LinkReason[] {
    const reasons: LinkReason[] = [];
    let edges = 0;
    for (const [n, shared] of this.graph.edgesOf(account)) {
      if (edges >= 8) break;
      if (!others.has(n) || !this.valid(shared)) continue;
      edges += 1;
      reasons.push(...edgeReasons(shared, this.index.spec));
    }
    return reasons;
  }

  private record(c: CampaignState): Campaign {
    const members = [...c.members].sort();
    const sketches = members
      .map((m) => this.sketches.get(m))
      .filter((s): s is AccountSketch => s !== undefined);
    return campaignRecord({
      id: c.id,
      members,
      first_seen_ts: sketches.reduce((t, s) => Math.min(t, s.first_ts), Number.POSITIVE_INFINITY),
      last_seen_ts: sketches.reduce((t, s) => Math.max(t, s.last_ts), Number.NEGATIVE_INFINITY),
      first_flagged_ts: c.first_flagged_ts,
      signals: scoreCampaign(sketches, this.opt.score),
      edges: this.formingEdges(members),
      weightOf: this.weight,
      specOf: this.index.spec,
    });
  }

  /** A spanning forest over the campaign's valid edges (the edges that formed it), then others, capped. */
  private formingEdges(members: readonly string[]): { a: string; b: string; shared: readonly string[] }[] {
    const inside = new Set(members);
    const reached = new Set<string>();
    const edges: { a: string; b: string; shared: readonly string[] }[] = [];
    for (const start of members) {
      if (reached.has(start)) continue;
      reached.add(start);
      const queue = [start];
      for (let i = 0; i < queue.length && edges.length < this.opt.maxEdgesListed; i++) {
        const node = queue[i] as string;
        const next = [...this.graph.edgesOf(node)].filter(
          ([n, s]) => inside.has(n) && !reached.has(n) && this.valid(s),
        );
        for (const [n, shared] of next.sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
          if (reached.has(n)) continue;
          reached.add(n);
          queue.push(n);
          edges.push({ a: node, b: n, shared });
        }
      }
    }
    return edges.slice(0, this.opt.maxEdgesListed);
  }
}
