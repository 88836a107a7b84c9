import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const TimingParams = z.object({
  minExchanges: z.number().int().positive().default(16),
  /** Coefficient of variation of inter-arrival gaps: a metronome is near 0, Poisson traffic 1. */
  gapCvFull: z.number().positive().default(0.15),
  gapCvOnset: z.number().positive().default(0.6),
  /** Quiet-hours share (×3 of the quietest 8-hour window): 1 means no daily rhythm. */
  quietOnset: z.number().min(0).max(1).default(0.35),
  quietFull: z.number().min(0).max(1).default(0.85),
  minSpanHoursForRhythm: z.number().positive().default(36),
  concurrencyOnset: z.number().nonnegative().default(0.5),
  concurrencyFull: z.number().positive().default(3),
  burstOnset: z.number().positive().default(20),
  burstFull: z.number().positive().default(120),
});
export type TimingParams = z.infer<typeof TimingParams>;

export const timingDefinition: DetectorDefinition<TimingParams> = {
  id: 'timing',
  title: 'Machine-like timing',
  description:
    'Inter-arrival regularity (low coefficient of variation of the gaps), no daily rhythm (hour-of-day entropy, ' +
    'traffic in the quietest hours), parallel in-flight requests, and bursts per minute.',
  family: 'timing',
  inputs: [
    'gapCv',
    'hourEntropy',
    'quietShare',
    'spanHours',
    'concurrencyMean',
    'maxConcurrency',
    'maxPerMinute',
  ],
  params: TimingParams,
};
