import { describe, expect, it } from 'vitest';
import { aggregateRuns, stats } from './aggregate.js';
import type { RunRecord } from './aggregate.js';

describe('stats', () => {
  it('computes mean, sample standard deviation, min and max over the defined values', () => {
    expect(stats('m', [1, 2, 3, null])).toEqual({ key: 'm', n: 3, mean: 2, std: 1, min: 1, max: 3 });
  });

  it('leaves the spread undefined for a single run and everything undefined for none', () => {
    expect(stats('m', [0.5])).toEqual({ key: 'm', n: 1, mean: 0.5, std: null, min: 0.5, max: 0.5 });
    expect(stats('m', [null, undefined])).toEqual({ key: 'm', n: 0, mean: null, std: null, min: null, max: null });
  });
});

describe('aggregateRuns', () => {
  const run = (seed: number, evasion: number, recall: number | null): RunRecord => ({
    seed,
    evasion,
    dir: `out/eval/seed-${seed}-evasion-${evasion}`,
    events: 100,
    sim_s: 1,
    scan_s: 1,
    eval_s: 1,
    metrics: { 'all.attack_recall': recall },
  });

  it('groups runs by evasion level, in ascending order, across seeds', () => {
    const levels = aggregateRuns([run(1, 0.5, 0.5), run(1, 0, 0.9), run(2, 0, 0.7), run(2, 0.5, null)]);
    expect(levels.map((l) => l.evasion)).toEqual([0, 0.5]);
    expect(levels[0]!.seeds).toEqual([1, 2]);
    expect(levels[0]!.events).toBe(200);
    expect(levels[0]!.metrics[0]!.mean).toBeCloseTo(0.8, 12);
    expect(levels[0]!.metrics[0]!.std).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(levels[1]!.metrics[0]).toMatchObject({ n: 1, mean: 0.5 });
  });
});

describe('headlineMetrics', () => {
  it('flattens a report into stable metric names, per persona included', async () => {
    const { runEvaluation } = await import('./evaluate.js');
    const { headlineMetrics } = await import('./aggregate.js');
    const h = headlineMetrics(await runEvaluation({ labels: 'src/eval/fixtures/tiny/labels.ndjson', results: 'src/eval/fixtures/tiny/scan' }));
    expect(h['all.attack_recall']).toBe(0.8);
    expect(h['all.recall_minus_baseline']).toBe(0.8);
    expect(h['account.baseline_recall']).toBe(0.75);
    expect(h['persona.fpr.reseller']).toBe(1);
    expect(h['persona.recall.reseller_hidden_attacker@end_user']).toBe(1);
    expect(h['persona.baseline_recall.hydra']).toBe(0);
    expect(h['latency.total_exchanges_before_first_action']).toBe(6);
    expect(h['latency.campaigns_detected_share']).toBe(1);
  });
});
