import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { GradingParams } from './definition.js';
import { detectGrading } from './detect.js';

const p = GradingParams.parse({});

describe('grading and soft-label detector', () => {
  it('stays silent without judge prompts or logprobs', () => {
    expect(detectGrading(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores rubric prompts', () => {
    expect(detectGrading(makeFeatures({ gradingShare: 0.6 }), p, NO_BASELINES)?.score).toBeGreaterThan(0.8);
  });

  it('scores logprob harvesting with its share as evidence', () => {
    const f = detectGrading(makeFeatures({ logprobShare: 0.9 }), p, NO_BASELINES);
    expect(f?.score).toBeGreaterThan(0.7);
    expect(f?.signals['logprob_share']?.value).toBe(0.9);
  });
});
