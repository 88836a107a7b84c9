import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { CapabilityParams } from './definition.js';
import { detectCapability } from './detect.js';

const p = CapabilityParams.parse({});

describe('capability focus and coverage detector', () => {
  it('stays silent on a chat-dominated mix', () => {
    expect(detectCapability(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores a systematic sweep over categories and writing systems', () => {
    const f = detectCapability(
      makeFeatures({
        categoriesCovered: 5,
        scriptsCovered: 4,
        categoryShares: { chat: 0.2, coding: 0.2, maths: 0.2, agentic: 0.2, safety: 0.2 },
      }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.7);
  });

  it('scores narrow focus on a high-value capability less than a sweep', () => {
    const f = detectCapability(
      makeFeatures({ topCategory: 'maths', topCategoryShare: 1, categoriesCovered: 1 }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.4);
    expect(f?.score).toBeLessThanOrEqual(0.6);
  });
});
