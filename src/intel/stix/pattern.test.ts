import { describe, expect, it } from 'vitest';
import { parsePattern, patternError, PatternSyntaxError } from './pattern.js';
import { evaluatePattern } from './pattern-eval.js';

const obs = (ts: number, ...objects: Record<string, unknown>[]) => ({ ts, objects });

describe('parsePattern', () => {
  it.each([
    "[ipv4-addr:value = '198.51.100.1/32']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name LIKE 'pdf%']",
    "[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24'] WITHIN 300 SECONDS",
    "([file:name = 'a'] AND [file:name NOT = 'b']) REPEATS 5 TIMES",
    "[x-thing:n >= 3] FOLLOWEDBY [x-thing:n < 1.5] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
    "[artifact:payload_bin = b'aGVsbG8='] OR [artifact:hashes.MD5 = h'00ff']",
    "[x-stillwatch-infra:kind IN ('ip', 'tls_fp') AND x-stillwatch-infra:hmac != 'ab'] OR [x-a:flag = true]",
    '[EXISTS windows-registry-key:values]',
    "[domain-name:value = 'it''s'] ".replace("''", "\\'"),
  ])('parses %s', (p) => {
    expect(patternError(p)).toBeNull();
  });

  it.each([
    ["ipv4-addr:value = '1'", "expected '[' or '('"],
    ["[ipv4-addr:value = '1'", 'expected ]'],
    ["[ipv4-addr:value == '1']", 'expected a literal'],
    ["[ipv4-addr:value = '1'] WITHIN -5 SECONDS", 'positive number of seconds'],
    ["[ipv4-addr:value = '1'] REPEATS 2", 'expected TIMES'],
    ["[Ipv4:value = '1']", 'expected an object type'],
    ["[a-b:c = 'unterminated]", 'unterminated string'],
    ["[a-b:c = t'2020-13-01T00:00:00Z']", 'bad timestamp'],
    ['[a-b:c IN ()]', 'expected a literal'],
    ['[a-b:c = 1] AND', "expected '[' or '('"],
  ])('rejects %s', (p, msg) => {
    expect(() => parsePattern(p)).toThrow(PatternSyntaxError);
    expect(patternError(p)).toContain(msg);
  });

  it('builds the expected tree with AND binding tighter than OR', () => {
    const ast = parsePattern('[a-b:x = 1 OR a-b:y = 2 AND a-b:z = 3]');
    expect(ast.kind).toBe('observation');
    if (ast.kind !== 'observation') return;
    expect(ast.comparison.kind).toBe('or');
  });
});

describe('evaluatePattern', () => {
  const ip = (value: string) => ({ type: 'ipv4-addr', value });
  it('matches equality, IN, NOT and ISSUBSET against observed objects', () => {
    const o = [obs(0, ip('203.0.113.7'))];
    expect(evaluatePattern(parsePattern("[ipv4-addr:value = '203.0.113.7']"), o)).toBe(true);
    expect(evaluatePattern(parsePattern("[ipv4-addr:value IN ('1.1.1.1', '203.0.113.7')]"), o)).toBe(true);
    expect(evaluatePattern(parsePattern("[ipv4-addr:value NOT = '203.0.113.7']"), o)).toBe(false);
    expect(evaluatePattern(parsePattern("[ipv4-addr:value ISSUBSET '203.0.113.0/24']"), o)).toBe(true);
    expect(evaluatePattern(parsePattern("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"), o)).toBe(false);
  });

  it('binds comparisons on one type to the same object', () => {
    const o = [obs(0, { type: 'x-k', kind: 'ip', h: 'a' }, { type: 'x-k', kind: 'ua', h: 'b' })];
    expect(evaluatePattern(parsePattern("[x-k:kind = 'ip' AND x-k:h = 'a']"), o)).toBe(true);
    expect(evaluatePattern(parsePattern("[x-k:kind = 'ip' AND x-k:h = 'b']"), o)).toBe(false);
  });

  it('supports LIKE, MATCHES, list indexes and nested properties', () => {
    const o = [
      obs(0, { type: 'x-t', name: 'report.pdf', list: [{ v: 1 }, { v: 5 }], d: { 'SHA-256': 'AB' } }),
    ];
    expect(evaluatePattern(parsePattern("[x-t:name LIKE '%.pdf']"), o)).toBe(true);
    expect(evaluatePattern(parsePattern("[x-t:name MATCHES '^rep.*f$']"), o)).toBe(true);
    expect(evaluatePattern(parsePattern('[x-t:list[*].v > 4]'), o)).toBe(true);
    expect(evaluatePattern(parsePattern('[x-t:list[0].v > 4]'), o)).toBe(false);
    expect(evaluatePattern(parsePattern("[x-t:d.'SHA-256' = 'AB']"), o)).toBe(true);
  });

  it('applies REPEATS, WITHIN, START/STOP and FOLLOWEDBY over time', () => {
    const o = [obs(0, ip('1.1.1.1')), obs(10_000, ip('2.2.2.2')), obs(20_000, ip('1.1.1.1'))];
    expect(evaluatePattern(parsePattern("[ipv4-addr:value = '1.1.1.1'] REPEATS 2 TIMES"), o)).toBe(true);
    expect(evaluatePattern(parsePattern("[ipv4-addr:value = '1.1.1.1'] REPEATS 3 TIMES"), o)).toBe(false);
    expect(
      evaluatePattern(
        parsePattern("([ipv4-addr:value = '1.1.1.1'] AND [ipv4-addr:value = '2.2.2.2']) WITHIN 5 SECONDS"),
        o,
      ),
    ).toBe(false);
    expect(
      evaluatePattern(
        parsePattern("([ipv4-addr:value = '1.1.1.1'] AND [ipv4-addr:value = '2.2.2.2']) WITHIN 15 SECONDS"),
        o,
      ),
    ).toBe(true);
    expect(
      evaluatePattern(
        parsePattern("[ipv4-addr:value = '2.2.2.2'] FOLLOWEDBY [ipv4-addr:value = '1.1.1.1']"),
        o,
      ),
    ).toBe(true);
    expect(
      evaluatePattern(
        parsePattern(
          "[ipv4-addr:value = '2.2.2.2'] START t'1970-01-01T00:00:11Z' STOP t'1970-01-01T00:01:00Z'",
        ),
        o,
      ),
    ).toBe(false);
  });
});
