import { z } from 'zod';
import { Timestamp } from '../domain/index.js';
import { describeIssues } from './inputs.js';
import { forEachLine } from './ndjson.js';
import { unitKey } from './units.js';
import type { Unit } from './units.js';

/** What latency needs from an event line; the rest of the record is not validated here. */
const EventStamp = z.object({
  ts: Timestamp,
  account: z.string().min(1),
  end_user: z.string().min(1).optional(),
});

export interface CampaignVolume {
  /** Exchanges the campaign sent, and how many of them before its first action. */
  volume: number;
  before: number;
  first_event_ts: number | null;
}

export interface EventCounts {
  method: 'events' | 'exchanges_before_flag';
  events_file: string | null;
  events_read: number;
  rejected: number;
  rejected_sample: string[];
  byCampaign: Map<string, CampaignVolume>;
  /** Unit keys that sent at least one event (an account's own key covers its end users' events); null without events. */
  active: Set<string> | null;
}

/** First action of each true campaign: the earliest first_flagged_ts over its units. */
export function firstActions(units: readonly Unit[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const u of units) {
    if (u.campaign === null) continue;
    const f = u.result?.flagged ? u.result.first_flagged_ts : null;
    const prev = out.get(u.campaign) ?? null;
    out.set(u.campaign, f === null ? prev : prev === null ? f : Math.min(prev, f));
  }
  return out;
}

/**
 * Maps an event's (account, end_user) to the true campaign it belongs to: the end user's
 * own label when there is one, else the account's. Benign owners map to null.
 */
export function campaignResolver(units: readonly Unit[]): (account: string, endUser: string | undefined) => string | null {
  const byKey = new Map<string, Unit>();
  for (const u of units) byKey.set(u.key, u);
  return (account, endUser) => {
    if (endUser !== undefined) {
      const eu = byKey.get(unitKey(account, endUser));
      if (eu) return eu.campaign;
    }
    return byKey.get(account)?.campaign ?? null;
  };
}

const SAMPLE = 20;

/**
 * Streams the simulator's event file and counts, per true campaign, all exchanges and those
 * with `ts` before the campaign's first action. Non-event records (`type` set to anything
 * but "event") are skipped; malformed lines are counted and sampled as file:line.
 */
export async function countFromEvents(path: string, units: readonly Unit[]): Promise<EventCounts> {
  const resolve = campaignResolver(units);
  const actions = firstActions(units);
  const byCampaign = new Map<string, CampaignVolume>();
  for (const c of actions.keys()) byCampaign.set(c, { volume: 0, before: 0, first_event_ts: null });
  const active = new Set<string>();
  const counts: EventCounts = { method: 'events', events_file: path, events_read: 0, rejected: 0, rejected_sample: [], byCampaign, active };
  const reject = (line: number, why: string): void => {
    counts.rejected += 1;
    if (counts.rejected_sample.length < SAMPLE) counts.rejected_sample.push(`${path}:${line}: ${why}`);
  };
  await forEachLine(path, (text, line) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      reject(line, 'not valid JSON');
      return;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return reject(line, 'not a JSON object');
    const rec = raw as Record<string, unknown>;
    if (rec['type'] !== undefined && rec['type'] !== 'event') return;
    // Validate only the picked fields: the prompt bodies are the bulk of the bytes.
    const parsed = EventStamp.safeParse({ ts: rec['ts'], account: rec['account'], end_user: rec['end_user'] });
    if (!parsed.success) return reject(line, describeIssues(parsed.error));
    counts.events_read += 1;
    active.add(parsed.data.account);
    if (parsed.data.end_user !== undefined) active.add(unitKey(parsed.data.account, parsed.data.end_user));
    const campaign = resolve(parsed.data.account, parsed.data.end_user);
    if (campaign === null) return;
    const c = byCampaign.get(campaign);
    if (!c) return;
    c.volume += 1;
    const t = actions.get(campaign) ?? null;
    if (t === null || parsed.data.ts < t) c.before += 1;
    if (c.first_event_ts === null || parsed.data.ts < c.first_event_ts) c.first_event_ts = parsed.data.ts;
  });
  return counts;
}

/**
 * Without the event file: per campaign, the sum of each unit's own `exchanges_before_flag`
 * (all its exchanges when never flagged). Each unit's own flag comes at or after the
 * campaign's first action, so this over-counts; the report says which method was used.
 */
export function countFromResults(units: readonly Unit[]): EventCounts {
  const byCampaign = new Map<string, CampaignVolume>();
  const accountLevel = new Set(units.filter((u) => u.level === 'account' && u.campaign !== null).map((u) => `${u.campaign}\u0000${u.account}`));
  for (const u of units) {
    if (u.campaign === null) continue;
    const c = byCampaign.get(u.campaign) ?? { volume: 0, before: 0, first_event_ts: null };
    byCampaign.set(u.campaign, c);
    // An end user's exchanges are already inside its account's when both are in the campaign.
    if (u.level === 'end_user' && accountLevel.has(`${u.campaign}\u0000${u.account}`)) continue;
    const r = u.result;
    if (r === null) continue;
    c.volume += r.exchanges;
    c.before += r.flagged && r.exchanges_before_flag !== null ? r.exchanges_before_flag : r.exchanges;
    c.first_event_ts = c.first_event_ts === null ? r.first_seen_ts : Math.min(c.first_event_ts, r.first_seen_ts);
  }
  return { method: 'exchanges_before_flag', events_file: null, events_read: 0, rejected: 0, rejected_sample: [], byCampaign, active: null };
}
