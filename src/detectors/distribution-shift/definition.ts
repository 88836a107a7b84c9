import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const DistributionShiftParams = z.object({
  minSamples: z.number().int().positive().default(12),
  /** Score starts at this multiple of the benign p99 of the statistic and is full at `fullFactor`. */
  onsetFactor: z.number().positive().default(1),
  fullFactor: z.number().positive().default(2),
});
export type DistributionShiftParams = z.infer<typeof DistributionShiftParams>;

export const distributionShiftDefinition: DetectorDefinition<DistributionShiftParams> = {
  id: 'distribution-shift',
  title: 'Prompt distribution shift from benign traffic',
  description:
    "Unbiased linear-kernel MMD² between the account's (or end user's) sampled prompts and the provider's benign " +
    'baseline, over 64 signed hashed lexical features; scored against the benign distribution of the same ' +
    'statistic from the calibration file (benign traffic only).',
  family: 'distribution_shift',
  inputs: ['samples', 'mmd'],
  params: DistributionShiftParams,
};
