import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrafficEvent } from '../domain/index.js';
import { fastEvent } from './fast-event.js';

/**
 * The fast check may only ever say "valid" when zod says so too, with the same output; it may
 * say "ask zod" as often as it likes. Values are drawn near the edges of every rule.
 */

/** Each field: usually absent; else one of its typical values or a value just past one of its rules. */
const sparse = <T>(values: readonly T[], weight = 8): fc.Arbitrary<T | undefined> =>
  fc.oneof(
    { weight, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...values) },
  );

const LONG = (n: number): string => 'a'.repeat(n);
const STR = ['x', '', 5, null, [], {}];

const message = fc
  .record(
    {
      role: sparse(['user', '', 7, null], 3),
      content: sparse(
        [
          'hi',
          null,
          [],
          [{ type: 'text', text: 'a' }],
          [{ type: 'image' }],
          [{ text: 'a' }],
          [{ type: 'text', text: 5 }],
          5,
          {},
        ],
        3,
      ),
      name: sparse(['n', 5], 3),
      tool_call_id: sparse(['c', null], 3),
    },
    { requiredKeys: [] },
  )
  .map((noise) => {
    const m: Record<string, unknown> = { role: 'user', content: 'hi' };
    for (const [k, x] of Object.entries(noise)) if (x !== undefined) m[k] = x;
    return m;
  });

const params = fc.record(
  {
    temperature: sparse([0, 10, 10.0001, -0.0001, 5, '5', null], 2),
    top_p: sparse([0, 1, 1.01, -0.01], 2),
    max_tokens: sparse([0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1], 2),
    n: sparse([0, 1, 2, -1, 1.5], 2),
    logprobs: sparse([true, false, 'true', 0], 2),
    top_logprobs: sparse([0, -1, 5, 1.5], 2),
    reasoning_effort: sparse(['high', 3, null], 2),
    stream: sparse([true, 'yes'], 2),
    seed: sparse([1, 'x'], 2),
  },
  { requiredKeys: [] },
);
const TOKENS = [0, 5, -1, 1.5, '1', null, 2 ** 53];
const usage = fc.record(
  {
    input_tokens: sparse(TOKENS, 2),
    output_tokens: sparse(TOKENS, 2),
    reasoning_tokens: sparse(TOKENS, 2),
    cached_tokens: sparse(TOKENS, 2),
  },
  { requiredKeys: [] },
);

/** Mostly valid events with a few fields replaced by values at the edges of their rules. */
const event = fc
  .record({
    base: fc.record({
      id: fc.string({ minLength: 1, maxLength: 12 }),
      ts: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.constant('2026-03-10T09:00:00.123Z')),
      account: fc.string({ minLength: 1, maxLength: 12 }),
      model: fc.constantFrom('gpt-4o', 'o3'),
      messages: fc.array(
        fc.record({ role: fc.constantFrom('user', 'assistant'), content: fc.string({ maxLength: 20 }) }),
        { maxLength: 3 },
      ),
    }),
    noise: fc.record(
      {
        type: sparse(['event', 'account', 'x', null]),
        id: sparse(['x', '', LONG(512), LONG(513), 5]),
        ts: sparse([
          0,
          -1,
          1.5,
          2 ** 53,
          2 ** 53 - 1,
          '2026-03-10T09:00:00Z',
          '2026-02-30',
          'nope',
          '',
          null,
        ]),
        account: sparse(['x', '', LONG(512), LONG(513), null]),
        model: sparse(['m', '', LONG(256), LONG(257), 1]),
        messages: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.array(message, { maxLength: 2 }) },
          { weight: 1, arbitrary: fc.constantFrom('hi', null, {}) },
        ),
        prompt: sparse(['p', 5, null]),
        org: sparse(STR),
        key: sparse(STR),
        end_user: sparse(STR),
        country: sparse(STR),
        user_agent: sparse(STR),
        tls_fp: sparse(STR),
        endpoint: sparse(STR),
        output: sparse(STR),
        finish_reason: sparse(STR),
        ip: sparse([
          '10.0.0.1',
          '::1',
          '2001:db8::1',
          '999.1.1.1',
          '1.2.3',
          'fe80::1%eth0',
          '::ffff:1.2.3.4',
          5,
        ]),
        asn: sparse([0, 13335, -1, 'AS13335', '13335', 'ASX', 1.5]),
        tools: sparse([0, 3, -1, 1.5, [], [{}], 'x']),
        params: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: params },
          { weight: 1, arbitrary: fc.constantFrom('x', null, []) },
        ),
        usage: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: usage },
          { weight: 1, arbitrary: fc.constantFrom(5, null) },
        ),
        status: sparse([200, 200.5, '200', -1]),
        latency_ms: sparse([0, 1.5, -1, '1']),
        extra: sparse([{ nested: [1] }, 'anything']),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ base, noise }) => {
    const v: Record<string, unknown> = { ...base };
    for (const [k, x] of Object.entries(noise)) if (x !== undefined) v[k] = x;
    if (v['messages'] === undefined && v['prompt'] === undefined) v['prompt'] = 'p';
    return v;
  });

describe('fast event check (property)', () => {
  it('accepts only what zod accepts, with the same output', () => {
    let fastAccepted = 0;
    fc.assert(
      fc.property(event, (v) => {
        const fast = fastEvent(structuredClone(v));
        const slow = TrafficEvent.safeParse(structuredClone(v));
        if (fast !== undefined) {
          fastAccepted++;
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        }
      }),
      { numRuns: 8000, seed: 20260310 },
    );
    // The check is useful only if it takes the common case.
    expect(fastAccepted).toBeGreaterThan(100);
  });
});
