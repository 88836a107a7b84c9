import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { ReasoningParams } from './definition.js';
import { detectReasoning } from './detect.js';

const p = ReasoningParams.parse({});

describe('reasoning-elicitation detector', () => {
  it('stays silent when nobody asks for reasoning', () => {
    expect(detectReasoning(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores a majority of chain-of-thought requests and shows the eliciting prompts', () => {
    const f = detectReasoning(
      makeFeatures({
        reasoningShare: 0.8,
        structuredShare: 0.3,
        evidence: {
          ids: ['a'],
          prompts: ['x'],
          reasoningIds: ['r1', 'r2'],
          reasoningPrompts: ['think step by step: #+#'],
          gradingIds: [],
          gradingPrompts: [],
        },
      }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.8);
    expect(f?.event_ids).toEqual(['r1', 'r2']);
    expect(f?.sample_prompts[0]).toMatch(/step by step/);
  });

  it('gives an occasional "step by step" little weight', () => {
    const f = detectReasoning(makeFeatures({ reasoningShare: 0.12 }), p, NO_BASELINES);
    expect(f?.score ?? 0).toBeLessThan(0.1);
  });
});
