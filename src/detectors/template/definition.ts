import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const TemplateParams = z.object({
  minSamples: z.number().int().positive().default(8),
  coherenceOnset: z.number().min(0).max(1).default(0.5),
  coherenceFull: z.number().min(0).max(1).default(0.9),
  wrapperOnset: z.number().min(0).max(1).default(0.3),
  wrapperFull: z.number().min(0).max(1).default(0.8),
  /** "Few templates": distinct wrappers at or below this many (given enough samples). */
  fewTemplates: z.number().positive().default(3),
});
export type TemplateParams = z.infer<typeof TemplateParams>;

export const templateDefinition: DetectorDefinition<TemplateParams> = {
  id: 'template-repetition',
  title: 'Template repetition',
  description:
    'Near-duplicate prompt structure (MinHash over masked word shingles of the prompt ends, clustered), a fixed ' +
    'wrapper (same first and last tokens) around varying payloads, and few distinct templates overall.',
  family: 'template',
  inputs: ['samples', 'templateCoherence', 'nearDupShare', 'wrapperShare', 'distinctTemplates', 'distinctTextRatio'],
  params: TemplateParams,
};
