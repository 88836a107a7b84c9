import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const GradingParams = z.object({
  minExchanges: z.number().int().positive().default(10),
  gradingOnset: z.number().min(0).max(1).default(0.05),
  gradingFull: z.number().min(0).max(1).default(0.4),
  logprobOnset: z.number().min(0).max(1).default(0.1),
  logprobFull: z.number().min(0).max(1).default(0.6),
});
export type GradingParams = z.infer<typeof GradingParams>;

export const gradingDefinition: DetectorDefinition<GradingParams> = {
  id: 'grading-soft-labels',
  title: 'Grading and soft-label harvesting',
  description:
    'Rubric, judge and preference prompts (the model used as a grader or reward model) and requests for ' +
    'logprobs/top_logprobs: harvesting soft labels rather than answers.',
  family: 'grading',
  inputs: ['exchanges', 'samples', 'gradingShare', 'logprobShare'],
  params: GradingParams,
};
