import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionOf, rawRoute, rawStringField, rawTs } from './partition-protocol.js';

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

describe('rawRoute', () => {
  const plain =
    '{"type":"event","id":"e1","ts":"2026-03-02T00:00:03.880Z","account":"acct_1","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}';

  it('reads account and time in one pass', () => {
    expect(rawRoute(plain)).toEqual({ account: 'acct_1', ts: Date.parse('2026-03-02T00:00:03.880Z') });
    expect(rawRoute('{"ts":17,"account":"a"}')).toEqual({ account: 'a', ts: 17 });
  });

  it('leaves broadcast records and uncertain lines to the parser', () => {
    expect(rawRoute('{"type":"account","account":"a","ts":1}')).toBeNull();
    expect(rawRoute('{"type":"model_release","account":"a","ts":1}')).toBeNull();
    expect(rawRoute('{"meta":{"type":"account"},"account":"a","ts":1}')).toBeNull();
    expect(rawRoute('{"meta":{"account":"b"},"account":"a","ts":1}')).toBeNull();
    expect(rawRoute('{"account" : "a","ts":1}')).toBeNull();
    expect(rawRoute('{"account":"a\\"b","ts":1}')).toBeNull();
    expect(rawRoute('{"account":"a","ts":1,"x":{"ts":2}}')).toBeNull();
    expect(rawRoute('{"account":"a"}')).toBeNull();
  });

  it('answers exactly when rawStringField, rawTs and the broadcast check all do, and agrees with them', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constantFrom('account', 'model_release', 'event', 'ts'),
      fc.object(),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('type', 'ts', 'account', 'id', 'x', 'meta'), value),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.oneof(fc.nat(), fc.constant('2026-03-02T00:00:03.880Z')), { nil: undefined }),
        (rest, account, ts) => {
          const line = JSON.stringify({
            ...rest,
            ...(account !== undefined ? { account } : {}),
            ...(ts !== undefined ? { ts } : {}),
          });
          const broadcast = line.includes('"type":"account"') || line.includes('"type":"model_release"');
          const a = broadcast ? null : rawStringField(line, 'account');
          const t = a === null ? null : rawTs(line);
          const got = rawRoute(line);
          expect(got).toEqual(a === null || t === null ? null : { account: a, ts: t });
        },
      ),
      { numRuns: 1000 },
    );
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
