import { describe, expect, it } from 'vitest';
import { Finding } from '../../domain/index.js';
import { buildStixBundle } from './bundle.js';
import { attackScenario, perturb, randomSignature, rng, sketch } from './fixtures/scenario.js';
import { parseCommunityKeyRing } from './keys.js';
import { createIntelMatcher } from './match.js';
import { buildSightingBundle } from './sightings.js';
import { createStixValidator } from './validate.js';
import { revokeObject } from './lifecycle.js';

const ring = parseCommunityKeyRing(`ck-2:${'a1'.repeat(32)}\nck-1:${'b2'.repeat(32)}`);
const template = randomSignature(rng(11));
const scen = attackScenario({
  seed: 3,
  n: 5,
  prefix: 'p',
  template,
  pool: ['203.0.113.5', '203.0.113.6'],
  tls: 'tls-fp-shared-1',
  payment: 'pay-fp-77',
});
const published = buildStixBundle(
  { campaigns: [scen.campaign], sketches: scen.sketches },
  { key: ring.current, producer: { name: 'Provider A' } },
);

describe('createIntelMatcher', () => {
  const matcher = createIntelMatcher(published.objects, ring);

  it('flags a local account on shared infrastructure, with a valid peer_intel finding', () => {
    const local = sketch({
      account: 'local-1',
      ips: ['203.0.113.5'],
      subnets: ['203.0.113.0/24'],
      asns: ['AS64500'],
      tls: ['tls-fp-shared-1'],
    });
    const f = matcher.match(local);
    expect(f).not.toBeNull();
    expect(Finding.parse(f).detector).toBe('peer_intel');
    expect(f!.signals['peer_infra_matches']!.value).toBe(4);
  });

  it('flags a local account that only shares the prompt template', () => {
    const local = sketch({ account: 'local-2', minhash: perturb(template, 0.85, rng(99)) });
    const [m] = matcher.matches(local);
    expect(m?.templateSimilarity).toBeGreaterThan(0.6);
  });

  it('leaves unrelated accounts alone, including one on the same big ASN', () => {
    expect(
      matcher.match(
        sketch({
          account: 'benign',
          ips: ['192.0.2.1'],
          asns: ['AS64500'],
          minhash: randomSignature(rng(5)),
        }),
      ),
    ).toBeNull();
  });

  it('does not match indicators hashed under a key it does not hold', () => {
    const stranger = parseCommunityKeyRing(`other:${'c3'.repeat(32)}`);
    const m = createIntelMatcher(published.objects, stranger);
    expect(m.indicators).toBe(0);
    expect(m.skipped).toBeGreaterThan(0);
  });

  it('still matches indicators hashed under a rotated-out key of the ring', () => {
    const old = buildStixBundle(
      { campaigns: [scen.campaign], sketches: scen.sketches },
      { key: ring.previous[0]!, producer: { name: 'Provider A' } },
    );
    const m = createIntelMatcher(old.objects, ring);
    expect(m.match(sketch({ account: 'x', ips: ['203.0.113.6'], payment: 'pay-fp-77' }))).not.toBeNull();
  });

  it('ignores indicators that expired before the account was active (event time)', () => {
    const late = sketch({
      account: 'late',
      ips: ['203.0.113.5'],
      subnets: ['203.0.113.0/24'],
      asns: ['AS64500'],
      tls: ['tls-fp-shared-1'],
      firstTs: Date.UTC(2027, 0, 1),
      lastTs: Date.UTC(2027, 0, 2),
    });
    expect(createIntelMatcher(published.objects, ring).match(late)).toBeNull();
  });

  it('ignores revoked indicators', () => {
    const revoked = published.objects.map((o) =>
      o.type === 'indicator' ? revokeObject(o, Date.UTC(2026, 10, 5)) : o,
    );
    expect(createIntelMatcher(revoked, ring).indicators).toBe(0);
  });

  it('matches a plain STIX pattern from another tool on the keyed view', () => {
    const foreign = [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        created: '2026-11-01T00:00:00.000Z',
        modified: '2026-11-01T00:00:00.000Z',
        pattern_type: 'stix',
        pattern: "[x-stillwatch-infra:kind = 'payment_fp']",
        valid_from: '2026-11-01T00:00:00.000Z',
        confidence: 100,
      },
    ];
    const m = createIntelMatcher(foreign, ring, { threshold: 0.4 });
    expect(m.match(sketch({ account: 'y', payment: 'anything' }))).not.toBeNull();
  });

  it('accumulates counts-only sightings that validate against the official schemas', () => {
    const records = matcher.sightings();
    expect(records.length).toBeGreaterThan(0);
    const b = buildSightingBundle(records, { producer: { name: 'Provider B' } });
    const external = new Set(records.map((r) => r.indicatorId));
    expect(
      createStixValidator('../shared/stix2-json-schemas/schemas').validateBundle(b, {
        externalRefs: external,
      }),
    ).toEqual([]);
    expect(JSON.stringify(b)).not.toContain('local-1');
    expect(JSON.stringify(b)).not.toContain('203.0.113.5');
  });
});
