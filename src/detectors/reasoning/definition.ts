import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const ReasoningParams = z.object({
  minSamples: z.number().int().positive().default(6),
  shareOnset: z.number().min(0).max(1).default(0.1),
  shareFull: z.number().min(0).max(1).default(0.6),
  structuredOnset: z.number().min(0).max(1).default(0.05),
  structuredFull: z.number().min(0).max(1).default(0.4),
  highEffortOnset: z.number().min(0).max(1).default(0.3),
  highEffortFull: z.number().min(0).max(1).default(0.9),
});
export type ReasoningParams = z.infer<typeof ReasoningParams>;

export const reasoningDefinition: DetectorDefinition<ReasoningParams> = {
  id: 'reasoning-elicitation',
  title: 'Reasoning elicitation',
  description:
    'Share of requests asking the model to expose internal or step-by-step reasoning (English, Chinese, Japanese, ' +
    'Korean, Spanish, French, German, Portuguese, Russian, Italian), asking for reasoning in structured fields ' +
    '(JSON keys, tags), or setting reasoning_effort high.',
  family: 'reasoning',
  inputs: ['samples', 'reasoningShare', 'structuredShare', 'highEffortShare'],
  params: ReasoningParams,
};
