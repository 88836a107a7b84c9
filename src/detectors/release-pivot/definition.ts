import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const ReleasePivotParams = z.object({
  shareOnset: z.number().min(0).max(1).default(0.3),
  shareFull: z.number().min(0).max(1).default(0.8),
  /** A pivot within this many hours of the release counts fully; later ones half. */
  fastHours: z.number().positive().default(6),
  slowHours: z.number().positive().default(48),
});
export type ReleasePivotParams = z.infer<typeof ReleasePivotParams>;

export const releasePivotDefinition: DetectorDefinition<ReleasePivotParams> = {
  id: 'release-pivot',
  title: 'Pivot to a newly released model',
  description:
    "Share of an already active account's traffic moved to a newly released model in the window after its " +
    'release, weighted by how fast the move came.',
  family: 'release_pivot',
  inputs: ['pivotShare', 'pivotDelayHours'],
  params: ReleasePivotParams,
};
