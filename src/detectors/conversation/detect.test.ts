import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { ConversationParams } from './definition.js';
import { detectConversation } from './detect.js';

const p = ConversationParams.parse({});

describe('conversation-structure detector', () => {
  it('stays silent on multi-turn sessions', () => {
    expect(detectConversation(makeFeatures({ oneShotShare: 0.3 }), p, NO_BASELINES)).toBeNull();
  });

  it('scores an account that only ever sends isolated prompts', () => {
    expect(detectConversation(makeFeatures({ oneShotShare: 1 }), p, NO_BASELINES)?.score).toBeGreaterThan(
      0.9,
    );
  });

  it('does not count agent loops that carry tool results as one-shot harvesting', () => {
    const f = detectConversation(makeFeatures({ oneShotShare: 1, toolResultShare: 0.9 }), p, NO_BASELINES);
    expect(f?.score ?? 0).toBeLessThan(0.15);
  });
});
