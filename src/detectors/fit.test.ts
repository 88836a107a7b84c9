import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../domain/index.js';
import { byTime, chatter, harvester, signup } from './fixtures/traffic.js';
import { fitCalibration, quantile } from './fit.js';
import { createAccountStage } from './stage.js';

describe('quantile', () => {
  it('uses nearest rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([], 0.9)).toBe(0);
  });
});

describe('fitCalibration', () => {
  const benign: IngestRecord[] = [
    ...['u1', 'u2', 'u3'].map((a): IngestRecord => ({
      kind: 'account',
      account: signup(a, { verified: true, org: 'o' }),
    })),
    ...byTime(chatter('u1', 40), chatter('u2', 60), chatter('u3', 25)).map((event): IngestRecord => ({
      kind: 'event',
      event,
    })),
  ];
  const source = async function* (): AsyncGenerator<IngestRecord[]> {
    await Promise.resolve();
    yield benign;
  };

  it('puts the threshold above every benign reference score, with baselines and the command recorded', async () => {
    const { calibration, report } = await fitCalibration(source, {
      targetFpr: 0.001,
      margin: 0.05,
      command: 'cmd',
      input: 'in',
    });
    expect(report.units).toBe(3);
    expect(calibration.threshold).toBeGreaterThan(report.maxScore);
    expect(calibration.threshold).toBeCloseTo(report.quantileScore + 0.05, 6);
    expect(calibration.lexical_mean).toHaveLength(64);
    expect(calibration.baselines['one_shot_share']?.p99).toBeGreaterThan(0);
    expect(calibration.produced_by?.command).toBe('cmd');
  });

  it('yields a threshold under which reference traffic stays unflagged and an extractor does not', async () => {
    const { calibration } = await fitCalibration(source, {
      targetFpr: 0.001,
      margin: 0.05,
      command: 'cmd',
      input: 'in',
    });
    const stage = createAccountStage({ calibration });
    for (const r of benign) if (r.kind === 'account') stage.onAccount(r.account);
    stage.onAccount(signup('x'));
    for (const r of benign) if (r.kind === 'event') stage.onEvent(r.event);
    for (const ev of harvester('x', 300)) stage.onEvent(ev);
    const results = [...stage.results()];
    expect(results.filter((r) => r.account !== 'x').every((r) => !r.flagged)).toBe(true);
    expect(results.find((r) => r.account === 'x')?.flagged).toBe(true);
  });
});
