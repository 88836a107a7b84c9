import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { volumeDefinition } from './definition.js';
import type { VolumeParams } from './definition.js';

const log = (x: number): number => Math.log10(Math.max(1, x));

export function detectVolume(f: AccountFeatures, p: VolumeParams, ctx: DetectContext): Finding | null {
  if (f.exchanges < p.minExchanges) return null;
  const daily = ramp(log(f.perDay), log(p.perDayOnset), log(p.perDayFull));
  const hourly = ramp(log(f.maxPerHour), log(p.perHourOnset), log(p.perHourFull));
  // A rate needs a long enough observation to mean anything.
  const score = Math.max(daily, 0.7 * hourly) * confidence(f.exchanges, 50);
  if (score < 0.05) return null;
  return finding(
    volumeDefinition.id,
    score,
    `${Math.round(f.perDay)} requests per day of activity, busiest hour ${f.maxPerHour} requests`,
    {
      requests_per_day: signal(ctx, 'requests_per_day', f.perDay, p.perDayOnset, 'requests/day'),
      max_per_hour: signal(ctx, 'max_per_hour', f.maxPerHour, p.perHourOnset, 'requests/hour'),
    },
    f.evidence.ids,
    [],
  );
}
