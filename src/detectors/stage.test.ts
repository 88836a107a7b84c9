import { describe, expect, it } from 'vitest';
import type { AccountResult } from '../domain/index.js';
import { AccountResult as AccountResultSchema, AccountSketch } from '../domain/index.js';
import { FALLBACK_CALIBRATION } from './calibration.js';
import type { Calibration } from './calibration.js';
import { byTime, chatter, harvester, signup, T0 } from './fixtures/traffic.js';
import { createAccountStage } from './stage.js';

const calibration: Calibration = { ...FALLBACK_CALIBRATION, threshold: 0.45 };

function run(): { results: AccountResult[]; sketches: AccountSketch[] } {
  const stage = createAccountStage({ calibration });
  stage.onAccount(signup('attacker'));
  stage.onAccount(
    signup('user', { created: T0 - 400 * 86_400_000, verified: true, org: 'org_u', tier: 'tier-3' }),
  );
  stage.onAccount(
    signup('reseller', { created: T0 - 500 * 86_400_000, verified: true, org: 'org_r', tier: 'tier-5' }),
  );
  const events = byTime(
    harvester('attacker', 400),
    chatter('user', 35),
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((u) => chatter('reseller', 35, T0, `eu-${u}`)),
    harvester('reseller', 300, T0, 'eu-bad'),
  );
  for (const ev of events) stage.onEvent(ev);
  const sketches = stage.drainDirtySketches();
  return { results: [...stage.results()], sketches };
}

const find = (rs: AccountResult[], account: string, endUser?: string): AccountResult | undefined =>
  rs.find((r) => r.account === account && r.end_user === endUser);

describe('createAccountStage', () => {
  const { results, sketches } = run();

  it('flags an extraction-like account, recording when and after how many exchanges', () => {
    const r = find(results, 'attacker');
    expect(r?.flagged).toBe(true);
    expect(r?.action).toBe('review');
    expect(r?.first_flagged_ts).toBeGreaterThanOrEqual(T0);
    expect(r?.exchanges_before_flag).toBeGreaterThan(0);
    expect(r?.exchanges_before_flag).toBeLessThanOrEqual(400);
    expect(r?.exchanges).toBe(400);
  });

  it('explains a flag with several detector families, event ids and redacted samples', () => {
    const r = find(results, 'attacker');
    const detectors = new Set(r?.reasons.map((f) => f.detector));
    expect(detectors.size).toBeGreaterThanOrEqual(4);
    expect(detectors).toContain('reasoning-elicitation');
    const reasoning = r?.reasons.find((f) => f.detector === 'reasoning-elicitation');
    expect(reasoning?.event_ids.length).toBeGreaterThan(0);
    expect(reasoning?.event_ids.length).toBeLessThanOrEqual(5);
    for (const p of reasoning?.sample_prompts ?? []) {
      expect(p.length).toBeLessThanOrEqual(160);
      expect(p).not.toMatch(/\d/);
    }
  });

  it('leaves an ordinary user alone', () => {
    const r = find(results, 'user');
    expect(r?.flagged).toBe(false);
    expect(r?.action).toBe('allow');
    expect(r?.first_flagged_ts).toBeNull();
  });

  it('flags the attacking end user of a reseller without flagging the reseller', () => {
    expect(find(results, 'reseller', 'eu-bad')?.flagged).toBe(true);
    expect(find(results, 'reseller', 'eu-a')?.flagged).toBe(false);
    expect(find(results, 'reseller')?.flagged).toBe(false);
  });

  it('emits valid results and prompt-free sketches with infrastructure and template bands', () => {
    for (const r of results) expect(AccountResultSchema.safeParse(r).success).toBe(true);
    const s = sketches.find((k) => k.account === 'attacker');
    expect(s && AccountSketch.safeParse(s).success).toBe(true);
    expect(s?.infra.ips).toEqual(['203.0.113.7']);
    expect(s?.template_bands.length).toBeGreaterThan(0);
    expect(s?.signals['reasoning_share']).toBeGreaterThan(0.5);
    expect(JSON.stringify(s)).not.toMatch(/step by step/i);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(run().results)).toBe(JSON.stringify(results));
  });

  it('raises an account flagged from outside to at least the finding score', () => {
    const stage = createAccountStage({ calibration });
    for (const ev of chatter('quiet', 10)) stage.onEvent(ev);
    stage.flagExternally('quiet', T0 + 1000, {
      detector: 'campaign',
      score: 0.9,
      explanation: 'member of a campaign',
      signals: {},
      event_ids: [],
      sample_prompts: [],
    });
    const r = [...stage.results()][0];
    expect(r?.flagged).toBe(true);
    expect(r?.score).toBeGreaterThanOrEqual(0.9);
    expect(r?.first_flagged_ts).toBe(T0 + 1000);
    expect(r?.reasons.map((f) => f.detector)).toContain('campaign');
  });

  it('re-sketches a changed account only when its links or verdict may have moved, and lists the rest with counts', () => {
    const stage = createAccountStage({ calibration });
    const evs = harvester('steady', 40);
    stage.onEvent(evs[0]!);
    expect(stage.drain(false).sketches.map((s) => s.account)).toEqual(['steady']); // first sight
    let countOnly = 0;
    let lastCountOnly = false;
    for (const [i, ev] of evs.slice(1, 30).entries()) {
      stage.onEvent(ev);
      const d = stage.drain(false);
      // Every changed account is listed exactly once: as a fresh sketch or with its count.
      expect(d.sketches.length + d.accounts.length).toBe(1);
      lastCountOnly = d.accounts.length === 1;
      if (lastCountOnly) {
        countOnly++;
        expect(d.exchanges).toEqual([i + 2]);
      } else expect(d.sketches[0]?.exchanges).toBe(i + 2);
    }
    // Same IP, same client, evaluations only at 4, 8, 16: most later events change nothing a sketch links by.
    expect(countOnly).toBeGreaterThan(5);
    // A new egress IP is new linking evidence: always re-sketched.
    stage.onEvent({ ...evs[30]!, ip: '198.51.100.99' });
    const moved = stage.drain(false);
    expect(moved.sketches[0]?.infra.ips).toContain('198.51.100.99');
    // The final, complete drain sketches every account changed since its last sketch, with current counts.
    stage.onEvent(evs[31]!);
    const before = stage.drain(false);
    const final = stage.drain(true);
    if (before.sketches.length === 0) expect(final.sketches.map((s) => s.exchanges)).toEqual([32]);
    else expect(final.sketches).toEqual([]);
  });
});
