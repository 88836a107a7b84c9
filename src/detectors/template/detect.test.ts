import { describe, expect, it } from 'vitest';
import { makeFeatures, NO_BASELINES } from '../fixtures/features.js';
import { TemplateParams } from './definition.js';
import { detectTemplate } from './detect.js';

const p = TemplateParams.parse({});

describe('template-repetition detector', () => {
  it('stays silent on varied prompts', () => {
    expect(detectTemplate(makeFeatures(), p, NO_BASELINES)).toBeNull();
  });

  it('scores a few fixed wrappers around varying payloads, with sample prompts', () => {
    const f = detectTemplate(
      makeFeatures({ wrapperShare: 0.95, distinctTemplates: 3, templateCoherence: 0.4 }),
      p,
      NO_BASELINES,
    );
    expect(f?.score).toBeGreaterThan(0.7);
    expect(f?.sample_prompts.length).toBeGreaterThan(0);
    expect(f?.event_ids.length).toBeLessThanOrEqual(5);
  });

  it('does not call one prompt resent verbatim a template', () => {
    const f = detectTemplate(
      makeFeatures({ templateCoherence: 1, wrapperShare: 1, distinctTextRatio: 0.05 }),
      p,
      NO_BASELINES,
    );
    expect(f).toBeNull();
  });
});
