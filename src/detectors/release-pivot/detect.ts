import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { finding, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { releasePivotDefinition } from './definition.js';
import type { ReleasePivotParams } from './definition.js';

export function detectReleasePivot(
  f: AccountFeatures,
  p: ReleasePivotParams,
  ctx: DetectContext,
): Finding | null {
  if (f.pivotShare <= 0) return null;
  const speed =
    f.pivotDelayHours === null ? 0.5 : 0.5 + 0.5 * ramp(f.pivotDelayHours, p.slowHours, p.fastHours);
  const score = ramp(f.pivotShare, p.shareOnset, p.shareFull) * speed;
  if (score < 0.05) return null;
  return finding(
    releasePivotDefinition.id,
    score,
    `${pct(f.pivotShare)} of traffic moved to a newly released model` +
      (f.pivotDelayHours === null ? '' : `, first use ${f.pivotDelayHours.toFixed(1)} h after release`),
    {
      release_pivot_share: signal(ctx, 'release_pivot_share', f.pivotShare, p.shareOnset, 'share'),
      release_pivot_delay_hours: signal(
        ctx,
        'release_pivot_delay_hours',
        f.pivotDelayHours ?? -1,
        p.fastHours,
        'hours',
      ),
    },
    f.evidence.ids,
    [],
  );
}
