import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const TemplateParams = z.object({
  minSamples: z.number().int().positive().default(8),
  coherenceOnset: z.number().min(0).max(1).default(0.5),
  coherenceFull: z.number().min(0).max(1).default(0.9),
  /** Share of traffic inside the (up to three) most common fixed prefixes or suffixes. */
  wrapperOnset: z.number().min(0).max(1).default(0.4),
  wrapperFull: z.number().min(0).max(1).default(0.85),
  /** "Few templates": distinct wrappers at or below this many (given enough samples). */
  fewTemplates: z.number().positive().default(3),
});
export type TemplateParams = z.infer<typeof TemplateParams>;

export const templateDefinition: DetectorDefinition<TemplateParams> = {
  id: 'template-repetition',
  title: 'Template repetition',
  description:
    'Near-duplicate prompt structure (MinHash over masked word shingles of the prompt ends, clustered), fixed ' +
    'wrappers (the same first or last six tokens) around varying payloads, and few distinct wrappers overall.',
  family: 'template',
  inputs: [
    'samples',
    'templateCoherence',
    'nearDupShare',
    'wrapperShare',
    'distinctTemplates',
    'distinctTextRatio',
  ],
  params: TemplateParams,
};
