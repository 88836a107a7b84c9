import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStixValidator, PATTERN_OVERLAY, referencesOf } from './validate.js';

const validator = createStixValidator('../shared/stix2-json-schemas/schemas');

describe('schema pattern overlay', () => {
  it.each(Object.entries(PATTERN_OVERLAY))(
    'rewrites %s to a pattern that accepts exactly the same names',
    (from, to) => {
      const a = new RegExp(from);
      const b = new RegExp(to);
      const name = fc.stringMatching(/^[a-z0-9_-]{0,18}$/);
      fc.assert(
        fc.property(name, (s) => a.test(s) === b.test(s)),
        { numRuns: 3000 },
      );
      for (const s of ['x-acme-ext', 'ntfs-ext', 'a', 'a-', 'a--b', '-a', 'abc-1x-ext', '1a-ext'])
        expect(b.test(s)).toBe(a.test(s));
    },
  );

  it('keeps validation fast on long extension-definition keys', () => {
    const obj = {
      type: 'x-thing',
      spec_version: '2.1',
      id: 'x-thing--d4316c8c-1c77-562f-852e-93f72459dc3f',
      extensions: {
        'extension-definition--d4316c8c-1c77-562f-852e-93f72459dc3f': { extension_type: 'new-sco' },
      },
    };
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) validator.validateObject(obj);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('createStixValidator', () => {
  it('accepts the OASIS example bundles, as the schema repository does', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = '../shared/stix2-json-schemas/examples';
    const files = readdirSync(dir).filter(
      (f) => f.endsWith('.json') && f !== 'interop-objectmarking-test.json',
    );
    for (const f of files) {
      const bundle = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as unknown;
      const schemaOnly = validator.validateBundle(bundle).filter((i) => i.id === 'bundle');
      expect(schemaOnly, f).toEqual([]);
    }
  });

  it('finds the checks the schemas cannot make', () => {
    const base = {
      spec_version: '2.1',
      created: '2026-01-02T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
    };
    const bundle = {
      type: 'bundle',
      id: 'bundle--00000000-0000-4000-8000-000000000000',
      objects: [
        {
          ...base,
          type: 'indicator',
          id: 'indicator--00000000-0000-4000-8000-000000000001',
          pattern: '[bad',
          pattern_type: 'stix',
          valid_from: '2026-01-01T00:00:00.000Z',
        },
        {
          ...base,
          modified: base.created,
          type: 'relationship',
          id: 'relationship--00000000-0000-4000-8000-000000000002',
          relationship_type: 'indicates',
          source_ref: 'indicator--00000000-0000-4000-8000-000000000001',
          target_ref: 'campaign--00000000-0000-4000-8000-000000000009',
        },
      ],
    };
    const messages = validator.validateBundle(bundle).map((i) => i.message);
    expect(messages.some((m) => m.includes('modified must be at or after created'))).toBe(true);
    expect(messages.some((m) => m.includes('pattern does not parse'))).toBe(true);
    expect(messages.some((m) => m.includes('does not resolve'))).toBe(true);
  });

  it('rejects an indicator without a pattern (official schema)', () => {
    const issues = validator.validateObject({
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--00000000-0000-4000-8000-000000000001',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      pattern_type: 'stix',
      valid_from: '2026-01-01T00:00:00.000Z',
    });
    expect(issues.length).toBeGreaterThan(0);
  });

  it('collects nested references', () => {
    expect(
      referencesOf({
        a_ref: 'x',
        b: { c_refs: ['y', 'z'] },
        granular_markings: [{ marking_ref: 'm' }],
      }).sort(),
    ).toEqual(['m', 'x', 'y', 'z']);
  });
});
