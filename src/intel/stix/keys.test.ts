import { describe, expect, it } from 'vitest';
import { canonicalJson, stixId, uuidv5 } from './ids.js';
import { keyedHash, keyedSlot, localDefaultKey, parseCommunityKeyRing } from './keys.js';

describe('deterministic ids', () => {
  it('computes RFC 4122 version-5 UUIDs (known vector)', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });

  it('gives the STIX spec id for an ipv4-addr SCO', () => {
    // STIX 2.1 §2.9: UUIDv5 over the canonical id-contributing properties, in the SCO namespace.
    expect(stixId('ipv4-addr', { value: '198.51.100.3' }, '00abedb4-aa42-466c-9c01-fed23315a9b7')).toBe(
      `ipv4-addr--${uuidv5('{"value":"198.51.100.3"}', '00abedb4-aa42-466c-9c01-fed23315a9b7')}`,
    );
  });

  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(stixId('campaign', { a: 1, b: 2 })).toBe(stixId('campaign', { b: 2, a: 1 }));
  });
});

describe('community keys', () => {
  it('parses a ring with the current key first and rotated keys after', () => {
    const ring = parseCommunityKeyRing('# comment\nck-2:' + 'ab'.repeat(32) + '\n\nck-1:' + 'cd'.repeat(16));
    expect(ring.current.id).toBe('ck-2');
    expect(ring.previous.map((k) => k.id)).toEqual(['ck-1']);
  });

  it.each([
    ['', 'no key found'],
    ['nocolon', 'expected KEY_ID:SECRET'],
    ['ck:short', 'shorter than 16 bytes'],
    [`local-default-not-shared:${'ab'.repeat(16)}`, 'reserved'],
    [`ck:${'ab'.repeat(16)}\nck:${'cd'.repeat(16)}`, 'listed twice'],
  ])('rejects %j without echoing the secret', (text, msg) => {
    expect(() => parseCommunityKeyRing(text)).toThrow(msg);
    try {
      parseCommunityKeyRing(text);
    } catch (err) {
      expect(String(err)).not.toContain('abababab');
    }
  });

  it('hashes the same value the same way on both sides, and differently per kind and key', () => {
    const k = parseCommunityKeyRing(`ck:${'11'.repeat(32)}`).current;
    const k2 = parseCommunityKeyRing(`ck2:${'22'.repeat(32)}`).current;
    expect(keyedHash(k, 'asn', 'AS64500')).toBe(keyedHash(k, 'asn', '64500'));
    expect(keyedHash(k, 'ip', '203.0.113.1')).not.toBe(keyedHash(k, 'signup_ip', '203.0.113.1'));
    expect(keyedHash(k, 'ip', '203.0.113.1')).not.toBe(keyedHash(k2, 'ip', '203.0.113.1'));
    expect(keyedHash(k, 'ip', '203.0.113.1')).toMatch(/^[0-9a-f]{32}$/);
    expect(keyedSlot(k, 5)).toBe(keyedSlot(k, 5));
    expect(keyedSlot(k, 5)).not.toBe(keyedSlot(k2, 5));
  });

  it('labels the built-in key as local and not for sharing', () => {
    expect(localDefaultKey().local).toBe(true);
    expect(localDefaultKey().id).toContain('not-shared');
  });
});
