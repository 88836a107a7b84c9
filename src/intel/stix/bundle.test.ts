import { describe, expect, it } from 'vitest';
import { buildStixBundle, bundleOf, definitionObjects, findRawLeaks, rawValuesOf } from './bundle.js';
import { buildNote } from './lifecycle.js';
import { attackScenario, randomSignature, rng, sketch } from './fixtures/scenario.js';
import { parseCommunityKeyRing } from './keys.js';
import { createStixValidator } from './validate.js';
import { DISTILLATION_EXTENSION_ID } from './extension.js';
import { ATLAS_EXTRACT_AI_MODEL_ID } from './atlas.js';

const SCHEMAS = '../shared/stix2-json-schemas/schemas';
const key = parseCommunityKeyRing(
  'ck-test-1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
).current;
const template = randomSignature(rng(7));
const scen = attackScenario({
  seed: 1,
  n: 6,
  prefix: 'a',
  template,
  pool: ['203.0.113.5', '203.0.113.9', '198.51.100.20'],
  tls: 't13d1516h2_8daaf6152771_e5627efa2ab1',
  payment: 'pm_fp_4242abcd',
});
const benign = sketch({ account: 'benign-1', ips: ['192.0.2.44'], uas: ['Mozilla/5.0'] });
const input = { campaigns: [scen.campaign], sketches: [...scen.sketches, benign] };
const validator = createStixValidator(SCHEMAS);

describe('buildStixBundle', () => {
  const bundle = buildStixBundle(input, { key, producer: { name: 'Provider A' } });

  it('produces a bundle the official OASIS schemas and the semantic checks accept', () => {
    expect(validator.validateBundle(bundle)).toEqual([]);
  });

  it('emits every object type the sharing needs', () => {
    const types = new Set(bundle.objects.map((o) => o.type));
    for (const t of [
      'campaign',
      'intrusion-set',
      'indicator',
      'infrastructure',
      'attack-pattern',
      'observed-data',
      'sighting',
      'relationship',
      'identity',
      'marking-definition',
    ]) {
      expect(types, t).toContain(t);
    }
  });

  it('links the campaign to MITRE ATLAS Extract AI Model', () => {
    const rel = bundle.objects.find(
      (o) =>
        o.type === 'relationship' &&
        o['target_ref'] === ATLAS_EXTRACT_AI_MODEL_ID &&
        o['relationship_type'] === 'uses',
    );
    expect(rel).toBeDefined();
  });

  it('is deterministic: the same input gives byte-identical output', () => {
    const again = buildStixBundle(input, { key, producer: { name: 'Provider A' } });
    expect(JSON.stringify(again)).toBe(JSON.stringify(bundle));
  });

  it('changes every keyed value when the community key rotates', () => {
    const other = parseCommunityKeyRing(
      'ck-test-2:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
    ).current;
    const rotated = buildStixBundle(input, { key: other, producer: { name: 'Provider A' } });
    const hashes = (b: typeof bundle): string[] =>
      b.objects.flatMap((o) =>
        (
          (o['extensions'] as Record<string, { keyed_hashes?: { hmac: string }[] }> | undefined)?.[
            DISTILLATION_EXTENSION_ID
          ]?.keyed_hashes ?? []
        ).map((h) => h.hmac),
      );
    const before = new Set(hashes(bundle));
    expect(before.size).toBeGreaterThan(0);
    expect(hashes(rotated).some((h) => before.has(h))).toBe(false);
  });

  it('carries no raw IP, TLS fingerprint, payment id, account id or user agent', () => {
    const text = JSON.stringify(bundle);
    for (const raw of [
      '203.0.113.5',
      '198.51.100.20',
      'pm_fp_4242abcd',
      't13d1516h2_8daaf6152771_e5627efa2ab1',
      'a-acct-0',
      'python-httpx',
      'mailbox.example',
      'AS64500',
    ]) {
      expect(text).not.toContain(raw);
    }
    expect(findRawLeaks(bundle, rawValuesOf(input))).toEqual([]);
  });

  it('finds raw values only as whole tokens, whatever their punctuation', () => {
    const doc = {
      a: 'seen from 203.0.113.7 via python-httpx/0.27.0',
      b: ['acct_1234 and ACCT_99'],
      c: { 'k-acct_42': 1 },
    };
    const raw = new Set([
      '203.0.113.7',
      '03.0.113',
      'python-httpx/0.27.0',
      'acct_1234',
      'acct_99',
      'acct_42',
      'acct_123',
      'xyz',
      '  ',
    ]);
    expect(findRawLeaks(doc, raw).sort()).toEqual([
      '203.0.113.7',
      'acct_1234',
      'acct_42',
      'acct_99',
      'python-httpx/0.27.0',
    ]);
    expect(findRawLeaks(doc, new Set(['seen', 'from203']))).toEqual(['seen']);
  });

  it('keeps campaigns under the score floor at home', () => {
    const low = { ...input, campaigns: [{ ...scen.campaign, score: 0.2 }] };
    const b = buildStixBundle(low, { key, producer: { name: 'Provider A' } });
    expect(b.objects.some((o) => o.type === 'campaign')).toBe(false);
  });

  it('refuses to export when a raw value would slip through', () => {
    const leaky = { ...input, sketches: [...input.sketches, sketch({ account: 'Provider A' })] };
    expect(() => buildStixBundle(leaky, { key, producer: { name: 'Provider A' } })).toThrow(/raw identifier/);
  });

  it('rejects malformed input with a clear error', () => {
    expect(() =>
      buildStixBundle({ campaigns: [{ id: 1 }], sketches: [] } as never, { key, producer: { name: 'P' } }),
    ).toThrow();
  });

  it('ships the extension-definition outside bundles, valid against its own official schema', () => {
    for (const o of definitionObjects()) expect(validator.validateObject(o)).toEqual([]);
  });

  it('shows why: the official bundle schema rejects any note or extension-definition inside a bundle', () => {
    const note = buildNote({
      authorRef: bundle.objects[1]!.id,
      objectRefs: [bundle.objects[1]!.id],
      abstract: 'a',
      content: 'c',
      atMs: 0,
      markingId: bundle.objects[0]!.id,
    });
    expect(validator.validateObject(note)).toEqual([]);
    expect(validator.validateBundle(bundleOf([...bundle.objects, note])).length).toBeGreaterThan(0);
  });
});
