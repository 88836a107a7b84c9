import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const CapabilityParams = z.object({
  minSamples: z.number().int().positive().default(10),
  focusOnset: z.number().min(0).max(1).default(0.75),
  focusFull: z.number().min(0).max(1).default(0.97),
  /** Categories with ≥ 5% of traffic: covering most of them evenly looks like a capability sweep. */
  coverageOnset: z.number().positive().default(2),
  coverageFull: z.number().positive().default(4),
  /** Writing systems with ≥ 5% of traffic: a sweep across languages. */
  scriptsOnset: z.number().positive().default(2),
  scriptsFull: z.number().positive().default(4),
  safetyOnset: z.number().min(0).max(1).default(0.05),
  safetyFull: z.number().min(0).max(1).default(0.3),
});
export type CapabilityParams = z.infer<typeof CapabilityParams>;

/** Categories whose outputs are most valuable to a distiller. */
export const HIGH_VALUE = new Set(['coding', 'maths', 'agentic']);

export const capabilityDefinition: DetectorDefinition<CapabilityParams> = {
  id: 'capability-focus',
  title: 'Capability focus and coverage',
  description:
    'Distribution of sampled requests over task categories (chat, coding, agentic/tool use, maths/reasoning, vision, ' +
    'safety-boundary probing): narrow focus on one high-value capability, systematic coverage of many categories ' +
    'and writing systems, or probing of refusal boundaries.',
  family: 'capability',
  inputs: [
    'samples',
    'categoryShares',
    'topCategory',
    'topCategoryShare',
    'categoriesCovered',
    'scriptsCovered',
  ],
  params: CapabilityParams,
};
