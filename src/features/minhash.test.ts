import { describe, expect, it } from 'vitest';
import { lshBandKeys, minhash, minhashSimilarity, templateMinhash } from './minhash.js';

const a = 'The quick brown fox jumps over the lazy dog near the river bank this morning';
const b = 'The quick brown fox jumps over the lazy dog near the river bank this evening';
const c = 'Completely unrelated text about tax forms, spreadsheets and quarterly revenue numbers';

describe('minhash', () => {
  it('gives identical texts similarity 1 and is deterministic', () => {
    expect(minhashSimilarity(minhash(a), minhash(a))).toBe(1);
    expect(Array.from(minhash(a))).toEqual(Array.from(minhash(a)));
  });

  it('ranks a near-duplicate far above an unrelated text', () => {
    const near = minhashSimilarity(minhash(a), minhash(b));
    const far = minhashSimilarity(minhash(a), minhash(c));
    expect(near).toBeGreaterThan(0.6);
    expect(far).toBeLessThan(0.15);
  });

  it('treats an empty text as similar to nothing', () => {
    expect(minhashSimilarity(minhash(''), minhash(''))).toBe(0);
    expect(lshBandKeys(minhash(''))).toEqual([]);
  });

  it('gives a fixed wrapper (longer than the 24-token window) around different payloads a near-identical template signature', () => {
    const head = 'You are an expert tutor for a national exam board. Solve the following problem and reason through every single intermediate step in full detail before you give the final answer.';
    const tail = 'Return a JSON object with the fields reasoning and answer. Do not omit any step of the derivation at all, and keep every intermediate result in the reasoning field.';
    const p1 = `${head} ${'alpha beta gamma delta epsilon zeta eta theta iota kappa '.repeat(4)} ${tail}`;
    const p2 = `${head} ${'apples oranges pears plums grapes melons lemons limes figs dates '.repeat(4)} ${tail}`;
    expect(minhashSimilarity(templateMinhash(p1), templateMinhash(p2))).toBeGreaterThan(0.9);
    expect(minhashSimilarity(minhash(p1), minhash(p2))).toBeLessThan(0.7);
    const shared = lshBandKeys(templateMinhash(p1)).filter((k) => lshBandKeys(templateMinhash(p2)).includes(k));
    expect(shared.length).toBeGreaterThan(0);
  });

  it('masks numbers in templates so that only the structure counts', () => {
    const x = templateMinhash('Order 12345 shipped to customer 998 on day 17 of the month');
    const y = templateMinhash('Order 777 shipped to customer 4 on day 3 of the month');
    expect(minhashSimilarity(x, y)).toBe(1);
  });

  it('hashes a 500-character prompt in microseconds, not milliseconds', () => {
    const text = `${a} ${b} ${c} `.repeat(3).slice(0, 500);
    for (let i = 0; i < 2000; i++) templateMinhash(text);
    const t0 = performance.now();
    const n = 20_000;
    for (let i = 0; i < n; i++) templateMinhash(text);
    const us = ((performance.now() - t0) * 1000) / n;
    // Loose bound (the machine is shared): catches a pathological regression such as a
    // per-permutation loop (~2 ms), not noise.
    expect(us).toBeLessThan(200);
  });
});
