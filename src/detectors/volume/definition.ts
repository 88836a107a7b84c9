import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const VolumeParams = z.object({
  minExchanges: z.number().int().positive().default(20),
  perDayOnset: z.number().positive().default(300),
  perDayFull: z.number().positive().default(4000),
  perHourOnset: z.number().positive().default(60),
  perHourFull: z.number().positive().default(600),
});
export type VolumeParams = z.infer<typeof VolumeParams>;

export const volumeDefinition: DetectorDefinition<VolumeParams> = {
  id: 'volume',
  title: 'Request volume',
  description: 'Requests per day of activity and the busiest hour: sustained volume in event-time windows.',
  family: 'volume',
  inputs: ['exchanges', 'perDay', 'maxPerHour'],
  params: VolumeParams,
};
