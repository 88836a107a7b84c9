import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';
import { fmix32, hashString } from './hash.js';
import { redactPrompt } from './redact.js';
import { BottomK } from './reservoir.js';
import { TopK } from './top-k.js';

describe('TopK (Space-Saving)', () => {
  it('finds the heavy hitter in a skewed stream', () => {
    const t = new TopK<string>(4);
    for (let i = 0; i < 1000; i++) t.add(i % 3 === 0 ? 'hot' : `cold-${i}`);
    expect(t.top(1)).toEqual(['hot']);
  });

  it('never claims a large guaranteed share on an all-distinct stream', () => {
    const t = new TopK<number>(4);
    for (let i = 0; i < 1000; i++) t.add(i);
    expect(t.maxCount()).toBeGreaterThan(100); // raw counts over-estimate…
    expect(t.guaranteedTop(3)).toBeLessThanOrEqual(3); // …guaranteed ones do not
  });
});

describe('HyperLogLog', () => {
  it('estimates small and large cardinalities within its error', () => {
    const small = new HyperLogLog();
    for (let i = 0; i < 5; i++) small.add(fmix32(i + 1));
    expect(small.estimate()).toBeGreaterThan(4);
    expect(small.estimate()).toBeLessThan(6.5);
    const big = new HyperLogLog();
    for (let i = 0; i < 5000; i++) big.add(hashString(`item-${i}`));
    expect(Math.abs(big.estimate() - 5000) / 5000).toBeLessThan(0.35);
  });
});

describe('BottomK', () => {
  it('keeps the same sample whatever the arrival order', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `ev-${i}`);
    const fwd = new BottomK<string>(5);
    const rev = new BottomK<string>(5);
    for (const id of ids) fwd.offer(BottomK.priority(id), id);
    for (const id of [...ids].reverse()) rev.offer(BottomK.priority(id), id);
    expect(fwd.values()).toEqual(rev.values());
    expect(fwd.values()).toHaveLength(5);
  });
});

describe('redactPrompt', () => {
  it('replaces e-mails, keys, URLs, IPs and numbers, and truncates', () => {
    const r = redactPrompt(
      'mail bob.smith@example.com with key sk-abcdefghijklmnop1234 from 10.1.2.3 see https://x.io/a?b=1 order 12345 ' +
        'lorem ipsum '.repeat(40),
    );
    expect(r).not.toMatch(/bob|example\.com|sk-abc|10\.1|x\.io|12345/);
    expect(r).toContain('[email]');
    expect(r).toContain('[key]');
    expect(r.length).toBeLessThanOrEqual(160);
    expect(r.endsWith('…')).toBe(true);
  });
});
