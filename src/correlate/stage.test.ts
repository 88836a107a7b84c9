import { describe, expect, it } from 'vitest';
import { Campaign } from '../domain/index.js';
import { campus, cloud, enterprise, hydra, reseller, rng, T0 } from './fixtures/sketches.js';
import { createCorrelationStage } from './index.js';

const FIVE_MIN = 300_000;

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const benign = () => [...campus(300), ...cloud(1500), ...enterprise(40), reseller()];

describe('createCorrelationStage', () => {
  it('flags every account of a hydra of light accounts as one campaign', () => {
    const stage = createCorrelationStage();
    const flags = stage.update(hydra(200), T0);
    expect(flags).toHaveLength(200);
    const ids = new Set(flags.map((f) => f.campaign));
    expect(ids.size).toBe(1);
    const [campaign] = stage.campaigns();
    expect(campaign?.size).toBe(200);
    expect(flags[0]?.finding.detector).toBe('campaign');
    expect(flags[0]?.finding.explanation).toContain(campaign?.id);
    expect(stage.campaignOf('hydra-0007')).toBe(campaign?.id);
  });

  it('pulls no benign account into a campaign and flags no benign group', () => {
    const stage = createCorrelationStage();
    const flags = stage.update(shuffled([...benign(), ...hydra(200)], 1), T0);
    expect(flags.every((f) => f.account.startsWith('hydra-'))).toBe(true);
    expect(stage.campaigns()).toHaveLength(1);
    for (const s of benign()) expect(stage.campaignOf(s.account)).toBeNull();
  });

  it('flags nothing on benign traffic alone', () => {
    const stage = createCorrelationStage();
    expect(stage.update(benign(), T0)).toEqual([]);
    expect(stage.campaigns()).toEqual([]);
  });

  it('keeps the campaign id as members arrive over several updates and flags each newcomer once', () => {
    const stage = createCorrelationStage();
    const accounts = hydra(120);
    const flagged: string[] = [];
    const ids = new Set<string>();
    for (let i = 0; i < accounts.length; i += 20) {
      for (const f of stage.update(accounts.slice(i, i + 20), T0 + (i / 20) * FIVE_MIN)) {
        flagged.push(f.account);
        ids.add(f.campaign);
      }
    }
    expect(ids.size).toBe(1);
    expect(new Set(flagged).size).toBe(flagged.length);
    expect(flagged).toHaveLength(120);
  });

  it('gives the same campaigns whatever the order of sketches in a batch', () => {
    const input = [...benign().slice(0, 800), ...hydra(150), ...hydra(80, { prefix: 'hy2', seed: 9 })];
    const run = (seed: number) => {
      const stage = createCorrelationStage();
      stage.update(shuffled(input, seed), T0);
      return stage.campaigns();
    };
    expect(run(2)).toEqual(run(3));
    expect(run(2)).toHaveLength(2);
  });

  it('keeps two hydras with disjoint infrastructure apart', () => {
    const stage = createCorrelationStage();
    stage.update([...hydra(100), ...hydra(100, { prefix: 'hy2', seed: 9 })], T0);
    const campaigns = stage.campaigns();
    expect(campaigns.map((c) => c.size)).toEqual([100, 100]);
    for (const c of campaigns) expect(new Set(c.accounts.map((a) => a.split('-')[0])).size).toBe(1);
  });

  it('writes campaigns that satisfy the Campaign schema, with edges that say why they exist', () => {
    const stage = createCorrelationStage();
    stage.update(hydra(50), T0);
    const [c] = stage.campaigns();
    expect(Campaign.safeParse(c).success).toBe(true);
    expect(c?.edges.length).toBe(49);
    const kinds = new Set(c?.edges.flatMap((e) => e.reasons.map((r) => r.kind)));
    expect(kinds.has('payment_fp')).toBe(true);
    expect(c?.first_flagged_ts).toBe(T0);
    // Identifying values are hashed before they leave the stage.
    expect(JSON.stringify(c)).not.toContain('pf-hydra');
  });

  it('leaves an account that shares only a cloud ASN and the popular SDK out of a hydra', () => {
    const stage = createCorrelationStage();
    const devs = cloud(2000);
    const hy = hydra(100).map((s) => ({ ...s, infra: { ...s.infra, asns: ['16509'], tls_fps: ['t13d1812h1_python'] } }));
    stage.update([...devs, ...hy], T0);
    expect(stage.campaigns()).toHaveLength(1);
    expect(stage.campaigns()[0]?.accounts.every((a) => a.startsWith('hydra-'))).toBe(true);
  });

  it('does not flag a hydra whose members behave like ordinary users', () => {
    const stage = createCorrelationStage();
    const quiet = hydra(100).map((s) => ({ ...s, score: 0.02, signals: { reasoning_share: 0.02 } }));
    expect(stage.update(quiet, T0)).toEqual([]);
  });
});
