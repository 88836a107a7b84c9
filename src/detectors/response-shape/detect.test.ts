import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { ResponseShapeParams } from './definition.js';
import { detectResponseShape } from './detect.js';

const p = ResponseShapeParams.parse({});

describe('response-shape detector', () => {
  it('stays silent on short answers to ordinary prompts', () => {
    expect(detectResponseShape(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores long capped outputs and maximal-length requests', () => {
    const f = detectResponseShape(
      makeFeatures({ outInRatio: 20, maxTokensHighShare: 1, verbosityShare: 0.9, nAbove1Share: 0.3 }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.8);
    expect(Object.keys(f?.signals ?? {})).toContain('max_tokens_high_share');
  });

  it('discounts a handful of exchanges', () => {
    const many = detectResponseShape(
      makeFeatures({ outInRatio: 20, maxTokensHighShare: 1 }),
      p,
      NO_BASELINES,
    );
    const few = detectResponseShape(
      makeFeatures({ exchanges: 6, outInRatio: 20, maxTokensHighShare: 1 }),
      p,
      NO_BASELINES,
    );
    expect(few?.score ?? 0).toBeLessThan(many?.score ?? 0);
  });
});
