import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const ResponseShapeParams = z.object({
  minExchanges: z.number().int().positive().default(6),
  outInOnset: z.number().positive().default(1.5),
  outInFull: z.number().positive().default(6),
  maxTokensCapOnset: z.number().min(0).max(1).default(0.2),
  maxTokensCapFull: z.number().min(0).max(1).default(0.8),
  truncatedOnset: z.number().min(0).max(1).default(0.1),
  truncatedFull: z.number().min(0).max(1).default(0.5),
  reasoningTokensOnset: z.number().min(0).max(1).default(0.6),
  reasoningTokensFull: z.number().min(0).max(1).default(0.9),
  verbosityOnset: z.number().min(0).max(1).default(0.2),
  verbosityFull: z.number().min(0).max(1).default(0.7),
  nAbove1Onset: z.number().min(0).max(1).default(0.05),
  nAbove1Full: z.number().min(0).max(1).default(0.4),
});
export type ResponseShapeParams = z.infer<typeof ResponseShapeParams>;

export const responseShapeDefinition: DetectorDefinition<ResponseShapeParams> = {
  id: 'response-shape',
  title: 'Output-harvesting request shape',
  description:
    'Long outputs relative to inputs, max_tokens at the output cap (≥ 16384), completions cut at the cap, ' +
    'responses dominated by reasoning tokens, n > 1 samples per request, and prompts asking for maximal length ' +
    '("as completely as possible", "length is not a concern"): traffic bought for its outputs.',
  family: 'shape',
  inputs: [
    'exchanges',
    'samples',
    'verbosityShare',
    'outInRatio',
    'maxTokensHighShare',
    'truncatedShare',
    'reasoningTokenShare',
    'nAbove1Share',
  ],
  params: ResponseShapeParams,
};
