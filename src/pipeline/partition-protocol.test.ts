import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionOf, rawStringField, rawTs } from './partition-protocol.js';

describe('rawStringField', () => {
  it('reads a top-level string key without parsing', () => {
    expect(rawStringField('{"id":"e1","account":"acct_1","model":"m"}', 'account')).toBe('acct_1');
  });

  it('gives up when the answer is not certain, so the caller parses the line', () => {
    expect(rawStringField('{"params":{"account":"x"},"account":"y"}', 'account')).toBeNull();
    expect(rawStringField('{"account": "spaced"}', 'account')).toBeNull();
    expect(rawStringField('{"account":"esc\\"aped"}', 'account')).toBeNull();
    expect(rawStringField('{"account":42}', 'account')).toBeNull();
    expect(rawStringField('{"id":"e1"}', 'account')).toBeNull();
  });

  it('never disagrees with JSON.parse when it answers', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.object())),
        fc.string(),
        (rest, account) => {
          const line = JSON.stringify({ ...rest, account });
          const got = rawStringField(line, 'account');
          if (got !== null) expect(got).toBe((JSON.parse(line) as { account: string }).account);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('rawTs', () => {
  it('reads ISO strings and epoch milliseconds', () => {
    expect(rawTs('{"ts":"2026-03-02T00:00:03.880Z","account":"a"}')).toBe(
      Date.parse('2026-03-02T00:00:03.880Z'),
    );
    expect(rawTs('{"ts":1772409603880,"account":"a"}')).toBe(1772409603880);
  });

  it('returns null for anything it cannot read with certainty', () => {
    expect(rawTs('{"ts":1.5e12}')).toBeNull();
    expect(rawTs('{"ts":"yesterday"}')).toBeNull();
    expect(rawTs('{"x":{"ts":1},"ts":2}')).toBeNull();
    expect(rawTs('{"id":"a"}')).toBeNull();
  });
});

describe('partitionOf', () => {
  it('is stable and spreads accounts over partitions', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(`acct_${i}`, 4)]!++;
    expect(partitionOf('acct_7', 4)).toBe(partitionOf('acct_7', 4));
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});
