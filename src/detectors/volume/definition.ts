import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const VolumeParams = z.object({
  minExchanges: z.number().int().positive().default(8),
  perDayOnset: z.number().positive().default(300),
  perDayFull: z.number().positive().default(4000),
  outInOnset: z.number().positive().default(1.5),
  outInFull: z.number().positive().default(6),
  maxTokensHighOnset: z.number().min(0).max(1).default(0.3),
  maxTokensHighFull: z.number().min(0).max(1).default(0.9),
  truncatedOnset: z.number().min(0).max(1).default(0.1),
  truncatedFull: z.number().min(0).max(1).default(0.5),
  reasoningTokensOnset: z.number().min(0).max(1).default(0.2),
  reasoningTokensFull: z.number().min(0).max(1).default(0.6),
  nAbove1Onset: z.number().min(0).max(1).default(0.05),
  nAbove1Full: z.number().min(0).max(1).default(0.4),
});
export type VolumeParams = z.infer<typeof VolumeParams>;

export const volumeDefinition: DetectorDefinition<VolumeParams> = {
  id: 'volume-shape',
  title: 'Volume and response shape',
  description:
    'High request rate per day of activity, long outputs relative to inputs, max_tokens at the output cap (≥ 16384), ' +
    'truncated (length-capped) completions, a large share of reasoning tokens, and n > 1 samples per request: ' +
    'the shape of traffic bought for its outputs.',
  family: 'volume',
  inputs: ['exchanges', 'perDay', 'maxPerHour', 'outInRatio', 'maxTokensHighShare', 'truncatedShare', 'reasoningTokenShare', 'nAbove1Share'],
  params: VolumeParams,
};
