import type { AccountFeatures } from '../features/index.js';
import type { Finding } from '../domain/index.js';
import { accountMetaDefinition } from './account-meta/definition.js';
import { detectAccountMeta } from './account-meta/detect.js';
import { capabilityDefinition } from './capability/definition.js';
import { detectCapability } from './capability/detect.js';
import { conversationDefinition } from './conversation/definition.js';
import { detectConversation } from './conversation/detect.js';
import { distributionShiftDefinition } from './distribution-shift/definition.js';
import { detectDistributionShift } from './distribution-shift/detect.js';
import { gradingDefinition } from './grading/definition.js';
import { detectGrading } from './grading/detect.js';
import { reasoningDefinition } from './reasoning/definition.js';
import { detectReasoning } from './reasoning/detect.js';
import { releasePivotDefinition } from './release-pivot/definition.js';
import { responseShapeDefinition } from './response-shape/definition.js';
import { detectResponseShape } from './response-shape/detect.js';
import { detectReleasePivot } from './release-pivot/detect.js';
import { templateDefinition } from './template/definition.js';
import { detectTemplate } from './template/detect.js';
import { timingDefinition } from './timing/definition.js';
import { detectTiming } from './timing/detect.js';
import type { DetectContext, DetectFn, DetectorDefinition, Family } from './types.js';
import { volumeDefinition } from './volume/definition.js';
import { detectVolume } from './volume/detect.js';

/** A detector with its parameters bound (defaults from its schema, or overrides validated by it). */
export interface BoundDetector {
  id: string;
  title: string;
  description: string;
  family: Family;
  run(features: AccountFeatures, ctx: DetectContext): Finding | null;
}

function bind<P>(definition: DetectorDefinition<P>, detect: DetectFn<P>, overrides: unknown): BoundDetector {
  const params = definition.params.parse(overrides ?? {});
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    family: definition.family,
    run: (features, ctx) => detect(features, params, ctx),
  };
}

/**
 * The per-account detectors, in a fixed order (findings come out in this order). Parameter
 * overrides are keyed by detector id and validated by each detector's own schema.
 */
export function bindDetectors(overrides: Readonly<Record<string, unknown>> = {}): BoundDetector[] {
  return [
    bind(volumeDefinition, detectVolume, overrides[volumeDefinition.id]),
    bind(responseShapeDefinition, detectResponseShape, overrides[responseShapeDefinition.id]),
    bind(timingDefinition, detectTiming, overrides[timingDefinition.id]),
    bind(templateDefinition, detectTemplate, overrides[templateDefinition.id]),
    bind(reasoningDefinition, detectReasoning, overrides[reasoningDefinition.id]),
    bind(gradingDefinition, detectGrading, overrides[gradingDefinition.id]),
    bind(capabilityDefinition, detectCapability, overrides[capabilityDefinition.id]),
    bind(conversationDefinition, detectConversation, overrides[conversationDefinition.id]),
    bind(releasePivotDefinition, detectReleasePivot, overrides[releasePivotDefinition.id]),
    bind(accountMetaDefinition, detectAccountMeta, overrides[accountMetaDefinition.id]),
    bind(distributionShiftDefinition, detectDistributionShift, overrides[distributionShiftDefinition.id]),
  ];
}

export const DETECTOR_DEFINITIONS = [
  volumeDefinition,
  responseShapeDefinition,
  timingDefinition,
  templateDefinition,
  reasoningDefinition,
  gradingDefinition,
  capabilityDefinition,
  conversationDefinition,
  releasePivotDefinition,
  accountMetaDefinition,
  distributionShiftDefinition,
] as const;
