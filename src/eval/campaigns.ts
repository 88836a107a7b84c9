import { baselineFlags } from './baseline.js';
import { largestShare, volumeOf } from './classification.js';
import type { EventCounts } from './latency.js';
import { firstActions } from './latency.js';
import { ratio } from './ratio.js';
import type { CampaignRow } from './report-schema.js';
import { isFlagged } from './units.js';
import type { Unit } from './units.js';

/** One row per true campaign: recall, grouping and how much it got before the first action. */
export function campaignRows(units: readonly Unit[], counts: EventCounts, baselineThreshold: number | null): CampaignRow[] {
  const members = new Map<string, Unit[]>();
  for (const u of units) {
    if (u.campaign === null) continue;
    const list = members.get(u.campaign) ?? [];
    list.push(u);
    members.set(u.campaign, list);
  }
  const actions = firstActions(units);
  const rows: CampaignRow[] = [];
  for (const [campaign, list] of [...members.entries()].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))) {
    const flagged = list.filter(isFlagged).length;
    const baselineFlagged = list.filter((u) => baselineFlags(baselineThreshold, volumeOf(u))).length;
    const vol = counts.byCampaign.get(campaign) ?? { volume: 0, before: 0, first_event_ts: null };
    const first = actions.get(campaign) ?? null;
    rows.push({
      campaign,
      units: list.length,
      seen: list.filter((u) => u.result !== null).length,
      flagged,
      recall: ratio(flagged, list.length),
      baseline_flagged: baselineFlagged,
      baseline_recall: ratio(baselineFlagged, list.length),
      ...largestShare(list),
      first_action_ts: first,
      first_event_ts: vol.first_event_ts,
      time_to_first_action_ms: first !== null && vol.first_event_ts !== null ? first - vol.first_event_ts : null,
      volume: vol.volume,
      exchanges_before_first_action: vol.before,
      share_before_first_action: ratio(vol.before, vol.volume),
    });
  }
  return rows;
}
