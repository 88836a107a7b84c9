import { describe, expect, it } from 'vitest';
import type { AccountResult, Finding } from '../domain/index.js';
import { ExternalFlags } from './external-flags.js';

const finding = (detector: string, score: number): Finding => ({
  detector,
  score,
  explanation: detector,
  signals: {},
  event_ids: [],
  sample_prompts: [],
});

const result = (over: Partial<AccountResult> = {}): AccountResult => ({
  account: 'a',
  score: 0.2,
  flagged: false,
  action: 'allow',
  campaign: null,
  first_flagged_ts: null,
  exchanges_before_flag: null,
  exchanges: 50,
  first_seen_ts: 0,
  last_seen_ts: 100,
  reasons: [],
  ...over,
});

describe('ExternalFlags', () => {
  it('flags an unflagged account at the pass time, with the exchanges served by then', () => {
    const x = new ExternalFlags();
    x.record('a', 40, 12, finding('campaign', 0.8));
    const r = x.apply(result());
    expect(r).toMatchObject({
      flagged: true,
      action: 'review',
      score: 0.8,
      first_flagged_ts: 40,
      exchanges_before_flag: 12,
    });
    expect(r.reasons.map((f) => f.detector)).toEqual(['campaign']);
  });

  it('keeps an own flag that came first, and takes the pass when it came first (ties go to the pass)', () => {
    const x = new ExternalFlags();
    x.record('a', 40, 12, finding('campaign', 0.6));
    const own = {
      flagged: true,
      score: 0.9,
      first_flagged_ts: 30,
      exchanges_before_flag: 9,
      action: 'review' as const,
    };
    expect(x.apply(result(own))).toMatchObject({
      first_flagged_ts: 30,
      exchanges_before_flag: 9,
      score: 0.9,
    });
    expect(x.apply(result({ ...own, first_flagged_ts: 40 }))).toMatchObject({
      first_flagged_ts: 40,
      exchanges_before_flag: 12,
    });
    expect(x.apply(result({ ...own, first_flagged_ts: 41 }))).toMatchObject({
      first_flagged_ts: 40,
      exchanges_before_flag: 12,
    });
  });

  it('keeps the first pass, one finding per detector (the newest) and at most five', () => {
    const x = new ExternalFlags();
    x.record('a', 40, 12, finding('campaign', 0.6));
    x.record('a', 50, 20, finding('campaign', 0.7));
    for (let i = 0; i < 6; i++) x.record('a', 60, 30, finding(`intel-${i}`, 0.5));
    const r = x.apply(result());
    expect(r.first_flagged_ts).toBe(40);
    expect(r.score).toBe(0.7);
    expect(r.reasons.map((f) => f.detector)).toEqual([
      'campaign',
      'intel-0',
      'intel-1',
      'intel-2',
      'intel-3',
    ]);
    expect(r.reasons[0]?.score).toBe(0.7);
  });

  it('leaves end-user results and unflagged accounts alone', () => {
    const x = new ExternalFlags();
    x.record('a', 40, 12, finding('campaign', 0.6));
    const eu = result({ end_user: 'u1' });
    expect(x.apply(eu)).toBe(eu);
    const other = result({ account: 'b' });
    expect(x.apply(other)).toBe(other);
  });
});
