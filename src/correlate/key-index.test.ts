import { describe, expect, it } from 'vitest';
import { cloud, hydra } from './fixtures/sketches.js';
import { KeyIndex } from './key-index.js';
import { makeKey, sketchKeys } from './keys.js';
import { DEFAULT_OPTIONS } from './options.js';

function indexOf(...groups: ReturnType<typeof hydra>[]): KeyIndex {
  const index = new KeyIndex(DEFAULT_OPTIONS);
  for (const s of groups.flat()) index.add(s.account, sketchKeys(s, DEFAULT_OPTIONS));
  index.newEpoch();
  return index;
}

describe('KeyIndex', () => {
  it('finds a cloud ASN shared by many unrelated accounts unspecific', () => {
    const index = indexOf(cloud(1500));
    expect(index.df(makeKey('asn', '16509'))).toBe(1500);
    expect(index.spec(makeKey('asn', '16509'))).toBeLessThan(0.3);
  });

  it('finds a value shared by a large but coherent group specific', () => {
    const group = hydra(800, { cards: 400 });
    const index = indexOf(group, cloud(1500));
    const subnet = makeKey('subnet24', group[0]!.infra.subnets[0]!);
    expect(index.df(subnet)).toBe(800);
    expect(index.idf(800)).toBeLessThan(0.8);
    expect(index.spec(subnet)).toBeGreaterThan(0.9);
  });

  it('keeps the same sample whatever the order accounts arrive in', () => {
    const devs = cloud(300);
    const a = indexOf(devs);
    const b = indexOf([...devs].reverse());
    const key = makeKey('asn', '16509');
    expect(new Set(a.candidates(key, 0))).toEqual(new Set(b.candidates(key, 0)));
  });

  it('returns only the keys an account did not hold before', () => {
    const index = new KeyIndex(DEFAULT_OPTIONS);
    expect(index.add('x', ['a1', 'a2'])).toEqual(['a1', 'a2']);
    expect(index.add('x', ['a2', 'a3'])).toEqual(['a3']);
    expect(index.df('a2')).toBe(1);
  });
});
