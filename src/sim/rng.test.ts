import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { estimateTokens } from './text.js';
import { DAY, intensity, nextArrival, WORK } from './timing.js';

describe('Rng', () => {
  it('repeats its sequence for a seed and differs across streams', () => {
    const a = new Rng(42, 1);
    const b = new Rng(42, 1);
    const c = new Rng(42, 2);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
  });

  it('draws uniforms with the right mean and lognormals with the right median', () => {
    const r = new Rng(7);
    const n = 20_000;
    let sum = 0;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) {
      sum += r.next();
      logs.push(r.lognormal(100, 1));
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    logs.sort((x, y) => x - y);
    expect(logs[n / 2]).toBeGreaterThan(90);
    expect(logs[n / 2]).toBeLessThan(110);
  });

  it('gives Pareto draws a heavy tail', () => {
    const r = new Rng(9);
    const xs = Array.from({ length: 10_000 }, () => r.pareto(1, 1.2)).sort((a, b) => b - a);
    const total = xs.reduce((a, b) => a + b, 0);
    expect(xs.slice(0, 1000).reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.4);
  });
});

describe('timing', () => {
  it('places more arrivals in working hours than at night', () => {
    const r = new Rng(3);
    const rhythm = { shape: WORK, tz: 0, weekend: 1 };
    let t = 0;
    let day = 0;
    let night = 0;
    for (let i = 0; i < 5000; i++) {
      t = nextArrival(r, rhythm, t, 200, 1000 * DAY);
      const h = new Date(t).getUTCHours();
      if (h >= 9 && h < 17) day++;
      if (h < 6) night++;
    }
    expect(day).toBeGreaterThan(5 * night);
    expect(intensity(rhythm, 10 * 3_600_000)).toBe(1);
  });
});

describe('estimateTokens', () => {
  it('counts about four Latin characters per token and about one per Chinese character', () => {
    expect(estimateTokens('a'.repeat(400))).toBe(100);
    expect(estimateTokens('请详细写出你的推理过程')).toBeGreaterThanOrEqual(11);
  });
});
