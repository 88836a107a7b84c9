import type {
  AccountRecord,
  AccountResult,
  AccountSketch,
  Finding,
  ModelRelease,
  TrafficEvent,
} from '../domain/index.js';
import { eventFacts, textFeatures } from '../features/index.js';
import type { AccountMeta, EventFacts } from '../features/index.js';
import { AccountMetaParams } from './account-meta/definition.js';
import { FALLBACK_CALIBRATION } from './calibration.js';
import type { Calibration } from './calibration.js';
import { combineSettings, singleFamilyMax } from './combine.js';
import { bindDetectors } from './registry.js';
import type { Family } from './types.js';
import { ReleaseTracker } from './releases.js';
import { SignupRegistry } from './signups.js';
import { buildSketch } from './sketch.js';
import type { ScoringContext } from './unit.js';
import { Unit } from './unit.js';

/** End users tracked per account; traffic of further end users counts only at the account level. */
export const MAX_END_USERS = 1024;
/** A resold account: at least this share of its traffic carries an end-user id. */
const RESOLD_SHARE = 0.5;
/** Flagged end users carrying this share of a resold account's traffic make the account itself suspect. */
const RESOLD_FLAGGED_SHARE = 0.5;

/** Re-send an unchanged account's sketch after this much event time anyway (activity, volumes). */
export const SKETCH_REFRESH_MS = 6 * 3_600_000;

/** What the stage hands to a correlation pass: the accounts changed since the last one. */
export interface DirtyDrain {
  /** Fresh sketches of the changed accounts whose linking values or verdict may have moved. */
  sketches: AccountSketch[];
  /** The other changed accounts and their exchange counts now (their last sketch still stands). */
  accounts: string[];
  exchanges: number[];
}

export interface AccountStage {
  onAccount(rec: AccountRecord): void;
  onRelease(rec: ModelRelease): void;
  onEvent(ev: TrafficEvent): void;
  flagExternally(account: string, ts: number, finding: Finding): void;
  /**
   * The changed accounts since the last drain. A sketch is rebuilt only when something the
   * correlation links or scores by may have changed: a new infrastructure key or text sample,
   * a new evaluation, signup data, or SKETCH_REFRESH_MS of event time; otherwise only the
   * count is reported. `complete` rebuilds every account changed since its last sketch (the
   * final pass), so the sketches a scan writes out are current.
   */
  drain(complete: boolean): DirtyDrain;
  /** Sketches of every account changed since its last sketch (`drain(true).sketches`). */
  drainDirtySketches(): AccountSketch[];
  results(): Iterable<AccountResult>;
  /**
   * The verdicts of these accounts (and their end users) as they stand, without the catch-up
   * evaluation `results()` runs: reading them mid-stream leaves the stage exactly as it was,
   * so periodic results of a live stream do not change what it computes later.
   */
  currentResults(accounts: Iterable<string>): Iterable<AccountResult>;
  accountCount(): number;
}

class AccountEntry {
  readonly unit = new Unit();
  endUsers: Map<string, Unit> | null = null;
  dirty = false;
  /** Changed since its last sketch (listed in `stale` until a sketch is built). */
  stale = false;
  /** What the last sketch was built from: link version, evaluation count, event time. */
  sentLinks = -1;
  sentEvalN = -1;
  sentTs = Number.NEGATIVE_INFINITY;
  /** Signup data arrived after the last sketch. */
  signupChanged = false;
  constructor(readonly account: string) {}

  endUser(id: string): Unit | null {
    const map = (this.endUsers ??= new Map<string, Unit>());
    let u = map.get(id);
    if (u === undefined) {
      if (map.size >= MAX_END_USERS) return null;
      u = new Unit();
      map.set(id, u);
    }
    return u;
  }
}

export function scoringContext(calibration: Calibration): ScoringContext {
  const detectors = bindDetectors(calibration.params);
  const familyOf = new Map<string, Family>(detectors.map((d) => [d.id, d.family]));
  const combine = combineSettings(calibration);
  return {
    detectors,
    familyOf,
    detect: { baselines: calibration.baselines },
    combine,
    metaParams: AccountMetaParams.parse(calibration.params['account-metadata'] ?? {}),
    baseline: calibration.lexical_mean === null ? null : { mean: calibration.lexical_mean },
    // Never below what one family can reach alone, whatever the file says.
    threshold: Math.max(calibration.threshold, singleFamilyMax(combine) + 1e-6),
  };
}

function toResult(account: string, endUser: string | undefined, u: Unit): AccountResult {
  const st = u.state;
  const r: AccountResult = {
    account,
    score: Math.min(1, Math.max(0, u.score)),
    flagged: u.flagged,
    action: u.flagged ? 'review' : 'allow',
    campaign: null,
    first_flagged_ts: u.firstFlaggedTs,
    exchanges_before_flag: u.exchangesBeforeFlag,
    exchanges: st.exchanges,
    first_seen_ts: Number.isFinite(st.firstTs) ? st.firstTs : 0,
    last_seen_ts: Number.isFinite(st.lastTs) ? st.lastTs : 0,
    reasons: u.reasons(),
  };
  if (endUser !== undefined) r.end_user = endUser;
  return r;
}

/**
 * The per-account stage: bounded state per account and per end user, detectors evaluated
 * lazily on a schedule in event time, verdicts with evidence, and sketches for correlation.
 * @example
 * const stage = createAccountStage({ calibration: loadCalibration(json) });
 * for (const ev of events) stage.onEvent(ev);
 * for (const r of stage.results()) console.log(r.account, r.score, r.flagged);
 */
export function createAccountStage(options: { calibration?: Calibration } = {}): AccountStage {
  return buildStage(options.calibration ?? FALLBACK_CALIBRATION).stage;
}

/** A unit of the stage as the calibrator sees it: its state and its account's signup metadata. */
export interface UnitView {
  account: string;
  endUser: string | null;
  unit: Unit;
  meta: AccountMeta | null;
}

/** The stage plus read access to its units (for calibration, which needs their raw sums). */
export function buildStage(calibration: Calibration): {
  stage: AccountStage;
  units(): Iterable<UnitView>;
  ctx: ScoringContext;
} {
  const ctx = scoringContext(calibration);
  const accounts = new Map<string, AccountEntry>();
  const signups = new SignupRegistry();
  const releases = new ReleaseTracker();
  const dirty: AccountEntry[] = [];
  const stale: AccountEntry[] = [];

  const entry = (account: string): AccountEntry => {
    let e = accounts.get(account);
    if (e === undefined) {
      e = new AccountEntry(account);
      accounts.set(account, e);
    }
    return e;
  };

  /** Resold accounts answer for their end users only when flagged end users dominate the traffic. */
  const resoldCap = (e: AccountEntry): number => {
    const st = e.unit.state;
    if (e.endUsers === null || st.endUserTagged < RESOLD_SHARE * st.exchanges) return 1;
    let flaggedEx = 0;
    for (const u of e.endUsers.values()) if (u.flagged) flaggedEx += u.state.exchanges;
    if (flaggedEx === 0 || flaggedEx >= RESOLD_FLAGGED_SHARE * st.exchanges) return 1;
    return ctx.threshold * 0.999;
  };

  const evaluateAccount = (e: AccountEntry, ts: number, meta: AccountMeta | null): void => {
    e.unit.cap = resoldCap(e);
    e.unit.evaluate(ts, meta, ctx);
  };

  const updateUnits = (ev: TrafficEvent, e: AccountEntry, facts: EventFacts): Unit | null => {
    const release = releases.windowAt(ev.ts);
    e.unit.state.update(ev, facts, release);
    const eu = ev.end_user === undefined ? null : e.endUser(ev.end_user);
    eu?.state.update(ev, facts, release);
    const wa = e.unit.state.sampleWeight(ev.id);
    const we = eu === null ? 0 : eu.state.sampleWeight(ev.id);
    if (wa > 0 || we > 0) {
      const tf = textFeatures(ev, facts);
      if (wa > 0) e.unit.state.addSample(ev.id, tf, wa);
      if (we > 0) eu?.state.addSample(ev.id, tf, we);
    }
    return eu;
  };

  const markDirty = (e: AccountEntry): void => {
    if (!e.dirty) {
      e.dirty = true;
      dirty.push(e);
    }
  };

  const needsSketch = (e: AccountEntry): boolean => {
    const u = e.unit;
    return (
      e.signupChanged ||
      u.lastEvalN !== e.sentEvalN ||
      u.state.linkVersion() !== e.sentLinks ||
      u.state.lastTs - e.sentTs >= SKETCH_REFRESH_MS
    );
  };

  /** `fresh`: signals from the current state (first sight, new signup data, final pass), else from the last evaluation. */
  const sketchOf = (e: AccountEntry, fresh: boolean): AccountSketch => {
    const u = e.unit;
    e.stale = false;
    e.signupChanged = false;
    e.sentLinks = u.state.linkVersion();
    e.sentEvalN = u.lastEvalN;
    e.sentTs = u.state.lastTs;
    return buildSketch(e.account, u, signups.get(e.account), ctx, fresh);
  };

  const stage: AccountStage = {
    onAccount(rec) {
      signups.add(rec);
      const e = accounts.get(rec.account);
      if (e !== undefined) {
        e.signupChanged = true;
        markDirty(e);
      }
    },
    onRelease(rec) {
      releases.add(rec);
    },
    onEvent(ev) {
      const e = entry(ev.account);
      const eu = updateUnits(ev, e, eventFacts(ev));
      // End user first: a flagged end user explains its share of the reseller's signals.
      if (eu?.due(ev.ts) === true) eu.evaluate(ev.ts, null, ctx);
      if (e.unit.due(ev.ts)) evaluateAccount(e, ev.ts, signups.get(ev.account));
      markDirty(e);
    },
    flagExternally(account, ts, finding) {
      entry(account).unit.flagExternally(ts, finding);
    },
    drain(complete) {
      const out: DirtyDrain = { sketches: [], accounts: [], exchanges: [] };
      for (const e of dirty) {
        e.dirty = false;
        if (complete || needsSketch(e)) {
          out.sketches.push(sketchOf(e, complete || e.signupChanged || e.sentEvalN < 0));
        } else {
          out.accounts.push(e.account);
          out.exchanges.push(e.unit.state.exchanges);
          if (!e.stale) {
            e.stale = true;
            stale.push(e);
          }
        }
      }
      dirty.length = 0;
      if (complete) {
        for (const e of stale) if (e.stale) out.sketches.push(sketchOf(e, true));
        stale.length = 0;
      } else if (stale.length > 1024 && stale.length > 2 * accounts.size) {
        // Entries sketched since they were listed are dropped, so the list stays O(accounts).
        let k = 0;
        for (const e of stale) if (e.stale) stale[k++] = e;
        stale.length = k;
      }
      return out;
    },
    drainDirtySketches() {
      return stage.drain(true).sketches;
    },
    *results() {
      for (const e of accounts.values()) {
        if (e.endUsers !== null) {
          for (const u of e.endUsers.values())
            if (u.lastEvalN !== u.state.exchanges) u.evaluate(u.state.lastTs, null, ctx);
        }
        if (e.unit.lastEvalN !== e.unit.state.exchanges && e.unit.state.exchanges > 0) {
          evaluateAccount(e, e.unit.state.lastTs, signups.get(e.account));
        }
        yield toResult(e.account, undefined, e.unit);
        if (e.endUsers !== null) for (const [id, u] of e.endUsers) yield toResult(e.account, id, u);
      }
    },
    *currentResults(ids) {
      for (const id of ids) {
        const e = accounts.get(id);
        if (e === undefined) continue;
        yield toResult(e.account, undefined, e.unit);
        if (e.endUsers !== null) for (const [u, unit] of e.endUsers) yield toResult(e.account, u, unit);
      }
    },
    accountCount() {
      return accounts.size;
    },
  };
  function* units(): Iterable<UnitView> {
    for (const e of accounts.values()) {
      const meta = signups.get(e.account);
      yield { account: e.account, endUser: null, unit: e.unit, meta };
      if (e.endUsers !== null)
        for (const [id, u] of e.endUsers) yield { account: e.account, endUser: id, unit: u, meta: null };
    }
  }
  return { stage, units, ctx };
}
