import type { TrafficEvent } from '../domain/index.js';
import type { EventFacts, TextFeatures } from './event-facts.js';
import { unitInterval } from './hash.js';
import { SampleState } from './sample-state.js';
import { TopK } from './top-k.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Gaps longer than this are session breaks, not inter-arrival times. */
const MAX_GAP_MS = HOUR;
/** Hourly activity buckets kept per account (31 days); later hours are counted, not bucketed. */
export const MAX_ACTIVITY_HOURS = 744;
const INFLIGHT_SLOTS = 8;
/** Every one of the first SAMPLE_BASE requests is analysed, then with probability SAMPLE_BASE/n. */
export const SAMPLE_BASE = 12;
const INFRA_SLOTS = 4;
/** max_tokens at or above this asks for as much output as current models give (their output caps are 16k–64k). */
export const MAX_TOKENS_CAP = 16_384;

/** The release window an event falls in, as seen by the stage (null when none is open). */
export interface ReleaseWindow {
  index: number;
  model: string;
  released: number;
}

/**
 * Bounded per-account (or per-end-user) state, updated in O(1) per event in event time.
 * Fixed-size counters and sketches only; the text-derived part lives in `SampleState`
 * and is fed from a deterministic, logarithmically thinning sample of the events.
 */
export class UnitState {
  exchanges = 0;
  firstTs = Number.POSITIVE_INFINITY;
  lastTs = Number.NEGATIVE_INFINITY;
  inTokens = 0;
  outTokens = 0;
  reasoningTokens = 0;
  withReasoningTokens = 0;
  maxTokensSet = 0;
  maxTokensHigh = 0;
  truncated = 0;
  nAbove1 = 0;
  logprobs = 0;
  highEffort = 0;
  withTools = 0;
  toolResults = 0;
  oneShot = 0;
  multiTurn = 0;
  endUserTagged = 0;
  errors = 0;
  /** Requests per UTC hour of day [0, 24) and end times of the last requests in flight [24, 32). */
  readonly hours = new Float64Array(24 + INFLIGHT_SLOTS);
  gapN = 0;
  gapMean = 0;
  gapM2 = 0;
  curMinute = -1;
  minuteCount = 0;
  maxPerMinute = 0;
  curHour = -1;
  hourCount = 0;
  maxPerHour = 0;
  activeHours = 0;
  concurrencySum = 0;
  maxConcurrency = 0;
  startHour = -1;
  activity: Uint16Array = new Uint16Array(0);
  readonly ips = new TopK<string>(INFRA_SLOTS);
  readonly subnets = new TopK<string>(INFRA_SLOTS);
  readonly asns = new TopK<string>(INFRA_SLOTS);
  readonly tlsFps = new TopK<string>(INFRA_SLOTS);
  readonly userAgents = new TopK<string>(INFRA_SLOTS);
  readonly models = new TopK<string>(INFRA_SLOTS);
  private lastIp = '';
  private lastSubnet = '';
  private lastAsnRaw: string | number = '';
  private lastAsn = '';
  pivotIndex = -1;
  pivotTotal = 0;
  pivotNew = 0;
  pivotActiveBefore = false;
  pivotBest = 0;
  pivotDelayMs = -1;
  sample: SampleState | null = null;

  /** Whether this event's text should be analysed, and with which Horvitz–Thompson weight (0 = no). */
  sampleWeight(id: string): number {
    const n = this.exchanges; // already counted by `update`
    if (n <= SAMPLE_BASE) return 1;
    const p = SAMPLE_BASE / n;
    return unitInterval(id) < p ? 1 / p : 0;
  }

  update(ev: TrafficEvent, facts: EventFacts, release: ReleaseWindow | null): void {
    const ts = ev.ts;
    this.exchanges++;
    this.updateTiming(ts, ev.latency_ms ?? 0);
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
    this.updateShape(ev, facts);
    this.updateInfra(ev);
    this.models.add(ev.model);
    if (release !== null) this.updatePivot(ev, release);
  }

  /**
   * Changes whenever a value a sketch links accounts by may have changed: a new infrastructure
   * key in a top-k, or a new text sample (templates). Counts alone do not change it.
   */
  linkVersion(): number {
    return (
      this.ips.version +
      this.subnets.version +
      this.asns.version +
      this.tlsFps.version +
      this.userAgents.version +
      (this.sample?.n ?? 0)
    );
  }

  addSample(id: string, tf: TextFeatures, weight: number): void {
    (this.sample ??= new SampleState()).add(id, tf, weight);
  }

  private updateShape(ev: TrafficEvent, facts: EventFacts): void {
    const u = ev.usage;
    const p = ev.params;
    if (u !== undefined) {
      this.inTokens += u.input_tokens ?? 0;
      this.outTokens += u.output_tokens ?? 0;
      if (u.reasoning_tokens !== undefined && u.reasoning_tokens > 0) {
        this.reasoningTokens += u.reasoning_tokens;
        this.withReasoningTokens++;
      }
    }
    if (p !== undefined) {
      const mt = p.max_tokens;
      if (mt !== undefined) {
        this.maxTokensSet++;
        if (mt >= MAX_TOKENS_CAP) this.maxTokensHigh++;
        if (u?.output_tokens !== undefined && u.output_tokens >= mt * 0.95) this.truncated++;
      }
      if (p.n !== undefined && p.n > 1) this.nAbove1++;
      if (p.logprobs === true || (p.top_logprobs !== undefined && p.top_logprobs > 0)) this.logprobs++;
      if (p.reasoning_effort === 'high') this.highEffort++;
    }
    if (ev.finish_reason === 'length' && (p?.max_tokens === undefined || u?.output_tokens === undefined))
      this.truncated++;
    if (facts.hasTools) this.withTools++;
    if (facts.toolResults) this.toolResults++;
    if (facts.assistantTurns > 0 || facts.userTurns > 1) this.multiTurn++;
    else this.oneShot++;
    if (ev.end_user !== undefined) this.endUserTagged++;
    if (ev.status !== undefined && ev.status >= 400) this.errors++;
  }

  private updateTiming(ts: number, latency: number): void {
    const h = Math.floor(ts / HOUR) % 24; // UTC hour of day, without allocating a Date
    this.hours[h] = (this.hours[h] ?? 0) + 1;
    if (this.exchanges > 1 && ts >= this.lastTs) {
      const gap = ts - this.lastTs;
      if (gap <= MAX_GAP_MS) {
        const g = gap / 1000;
        this.gapN++;
        const delta = g - this.gapMean;
        this.gapMean += delta / this.gapN;
        this.gapM2 += delta * (g - this.gapMean);
      }
    }
    const minute = Math.floor(ts / MINUTE);
    if (minute === this.curMinute) this.minuteCount++;
    else {
      this.curMinute = minute;
      this.minuteCount = 1;
    }
    if (this.minuteCount > this.maxPerMinute) this.maxPerMinute = this.minuteCount;
    const hour = Math.floor(ts / HOUR);
    if (hour === this.curHour) this.hourCount++;
    else {
      this.curHour = hour;
      this.hourCount = 1;
      this.activeHours++;
    }
    if (this.hourCount > this.maxPerHour) this.maxPerHour = this.hourCount;
    this.updateConcurrency(ts, latency);
    this.updateActivity(hour);
  }

  private updateConcurrency(ts: number, latency: number): void {
    let inFlight = 0;
    let oldest = 24;
    const f = this.hours;
    for (let i = 24; i < 24 + INFLIGHT_SLOTS; i++) {
      const end = f[i] ?? 0;
      if (end > ts) inFlight++;
      if (end < (f[oldest] ?? 0)) oldest = i;
    }
    f[oldest] = ts + latency;
    this.concurrencySum += inFlight;
    if (inFlight > this.maxConcurrency) this.maxConcurrency = inFlight;
  }

  private updateActivity(hour: number): void {
    if (this.startHour < 0) this.startHour = hour;
    const i = Math.max(0, hour - this.startHour);
    if (i >= MAX_ACTIVITY_HOURS) return;
    if (i >= this.activity.length) {
      const grown = new Uint16Array(Math.min(MAX_ACTIVITY_HOURS, Math.max(24, (i + 1) * 2)));
      grown.set(this.activity);
      this.activity = grown;
    }
    if ((this.activity[i] ?? 0) < 0xffff) this.activity[i] = (this.activity[i] ?? 0) + 1;
  }

  private updateInfra(ev: TrafficEvent): void {
    const ip = ev.ip;
    if (ip !== undefined) {
      this.ips.add(ip);
      if (ip !== this.lastIp) {
        this.lastIp = ip;
        this.lastSubnet = subnetOf(ip);
      }
      this.subnets.add(this.lastSubnet);
    }
    const asn = ev.asn;
    if (asn !== undefined) {
      if (asn !== this.lastAsnRaw) {
        this.lastAsnRaw = asn;
        this.lastAsn = normaliseAsn(asn);
      }
      this.asns.add(this.lastAsn);
    }
    if (ev.tls_fp !== undefined) this.tlsFps.add(ev.tls_fp);
    if (ev.user_agent !== undefined) this.userAgents.add(ev.user_agent);
  }

  private updatePivot(ev: TrafficEvent, release: ReleaseWindow): void {
    if (release.index !== this.pivotIndex) {
      this.closePivotWindow();
      this.pivotIndex = release.index;
      this.pivotTotal = 0;
      this.pivotNew = 0;
      // `exchanges` already includes this event: anything earlier predates the release window.
      this.pivotActiveBefore = this.exchanges > 1 && this.firstTs < release.released;
    }
    this.pivotTotal++;
    if (ev.model === release.model) {
      if (this.pivotNew === 0 && (this.pivotDelayMs < 0 || ev.ts - release.released < this.pivotDelayMs)) {
        this.pivotDelayMs = ev.ts - release.released;
      }
      this.pivotNew++;
    }
  }

  /** Folds the open release window into the best pivot share seen (needs a few events to mean anything). */
  closePivotWindow(): void {
    if (this.pivotActiveBefore && this.pivotTotal >= 5) {
      const share = this.pivotNew / this.pivotTotal;
      if (share > this.pivotBest) this.pivotBest = share;
    }
  }

  /** Current best pivot share including the open window. */
  pivotShare(): number {
    let best = this.pivotBest;
    if (this.pivotActiveBefore && this.pivotTotal >= 5)
      best = Math.max(best, this.pivotNew / this.pivotTotal);
    return best;
  }
}

export function subnetOf(ip: string): string {
  const dot = ip.lastIndexOf('.');
  if (dot > 0 && !ip.includes(':')) return `${ip.slice(0, dot)}.0/24`;
  const parts = ip.split(':');
  return `${parts.slice(0, 3).join(':')}::/48`;
}

export function normaliseAsn(asn: string | number): string {
  if (typeof asn === 'number') return `AS${asn}`;
  return /^as/i.test(asn) ? `AS${asn.slice(2)}` : `AS${asn}`;
}
