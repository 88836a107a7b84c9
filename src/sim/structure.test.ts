import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpora, readRun, type Rec } from './fixtures/load.js';
import { MODELS } from './models.js';
import { BLOCKS, COUNTRY_TZ } from './network.js';
import { runSim, type SimSummary } from './simulate.js';
import { HOUR, localHour } from './timing.js';

const root = mkdtempSync(join(tmpdir(), 'sim-structure-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  summary: SimSummary;
  events: Rec[];
  accounts: Map<string, Rec>;
  persona: Map<string, string>;
  campaign: Map<string, string>;
}

function simulate(name: string, evasion: number, scale: number, days: number): Run {
  const dir = join(root, name);
  const summary = runSim({ seed: 11, scale, days, evasion, out: dir }, { corpora: corpora() });
  const { records, labels } = readRun(dir);
  const persona = new Map<string, string>();
  const campaign = new Map<string, string>();
  for (const l of labels) {
    if (l['end_user'] !== undefined) continue;
    persona.set(String(l['account']), String(l['persona']));
    if (typeof l['campaign'] === 'string') campaign.set(String(l['account']), l['campaign']);
  }
  const accounts = new Map(records.filter((r) => r.type === 'account').map((r) => [String(r['account']), r]));
  return { summary, events: records.filter((r) => r.type === 'event'), accounts, persona, campaign };
}

function countBy<T>(xs: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

const DC_ASNS = new Set(BLOCKS.DATACENTER.map((b) => b.asn));

describe('simulated population', () => {
  let run: Run;
  beforeAll(() => {
    run = simulate('base', 0, 0.2, 4);
  });

  const eventsOf = (persona: string): Rec[] =>
    run.events.filter(
      (e) => e['end_user'] === undefined && run.persona.get(String(e['account'])) === persona,
    );

  it('gives human personas a diurnal cycle in their local time and machines a flat one', () => {
    const hist = (events: Rec[]): number[] => {
      const h = new Array<number>(24).fill(0);
      for (const e of events) {
        const tz = COUNTRY_TZ[String(run.accounts.get(String(e['account']))?.['country'])] ?? 0;
        const hour = localHour(Date.parse(String(e['ts'])), tz);
        h[hour] = (h[hour] ?? 0) + 1;
      }
      return h;
    };
    const ratio = (h: number[]): number => Math.max(...h) / Math.max(1, Math.min(...h));
    // Share of events between 00:00 and 06:00 local: people sleep, machines do not (a robust measure,
    // since machine traffic comes in bursty jobs).
    const night = (h: number[]): number =>
      h.slice(0, 6).reduce((a, b) => a + b, 0) / h.reduce((a, b) => a + b, 0);
    expect(ratio(hist(eventsOf('casual_chat')))).toBeGreaterThan(4);
    expect(ratio(hist(eventsOf('coding_agent')))).toBeGreaterThan(4);
    expect(night(hist(eventsOf('casual_chat')))).toBeLessThan(0.1);
    expect(night(hist(eventsOf('ci_bot')))).toBeGreaterThan(0.15);
    expect(night(hist(eventsOf('ci_bot')))).toBeLessThan(0.35);
  });

  it('draws heavy-tailed volumes: the top 10% of benign accounts carry most benign events', () => {
    const perAccount = countBy(
      run.events
        .filter((e) => run.campaign.get(String(e['account'])) === undefined)
        .map((e) => String(e['account'])),
    );
    const vols = [...perAccount.values()].sort((a, b) => b - a);
    const total = vols.reduce((a, b) => a + b, 0);
    const top = vols.slice(0, Math.ceil(vols.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.5);
    const casual = [...countBy(eventsOf('casual_chat').map((e) => String(e['account']))).values()].sort(
      (a, b) => b - a,
    );
    const casualTop = casual.slice(0, Math.ceil(casual.length / 10)).reduce((a, b) => a + b, 0);
    expect(casualTop / casual.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.3);
  });

  it('builds hydra clusters of many light accounts created in bursts on shared payment methods', () => {
    const byCampaign = new Map<string, string[]>();
    for (const [acct, p] of run.persona) {
      if (p !== 'hydra') continue;
      const c = run.campaign.get(acct) ?? '';
      byCampaign.set(c, [...(byCampaign.get(c) ?? []), acct]);
    }
    expect(byCampaign.size).toBeGreaterThanOrEqual(1);
    const perAccount = countBy(run.events.map((e) => String(e['account'])));
    for (const accts of byCampaign.values()) {
      expect(accts.length).toBeGreaterThanOrEqual(80);
      const pays = countBy(accts.map((a) => String(run.accounts.get(a)?.['payment_fp'])));
      expect(Math.max(...pays.values())).toBeGreaterThanOrEqual(10);
      const created = accts
        .map((a) => Date.parse(String(run.accounts.get(a)?.['created'])))
        .sort((a, b) => a - b);
      const inBurst = created.filter(
        (t) => created.filter((u) => Math.abs(u - t) <= HOUR).length >= 10,
      ).length;
      expect(inBurst / created.length).toBeGreaterThan(0.8);
      expect(Math.max(...accts.map((a) => perAccount.get(a) ?? 0))).toBeLessThan(150);
    }
  });

  it('moves release pivots to the new model within a day, and researchers within hours (benign)', () => {
    const release = Date.parse(run.summary.release.released);
    const pivot = eventsOf('release_pivot');
    // Within a day of the release (here: from 12 h after it on) most of their traffic is on the new model.
    const after = pivot.filter((e) => Date.parse(String(e['ts'])) >= release + 12 * HOUR);
    expect(after.length).toBeGreaterThan(20);
    expect(after.filter((e) => e['model'] === MODELS.fresh.id).length / after.length).toBeGreaterThan(0.5);
    expect(
      pivot.filter((e) => Date.parse(String(e['ts'])) < release && e['model'] === MODELS.fresh.id),
    ).toHaveLength(0);
    const firstResearch = Math.min(
      ...eventsOf('eval_researcher')
        .filter((e) => e['model'] === MODELS.fresh.id)
        .map((e) => Date.parse(String(e['ts']))),
    );
    expect(firstResearch - release).toBeLessThan(12 * HOUR);
  });

  it('hides attacking end users inside a benign reseller account', () => {
    const hidden = run.events.filter(
      (e) => e['end_user'] !== undefined && run.persona.get(String(e['account'])) === 'reseller',
    );
    expect(hidden.length).toBeGreaterThan(100);
  });

  it('moves attackers toward legitimate behaviour as evasion rises', () => {
    const evasive = simulate('evasive', 1, 0.2, 4);
    const stats = (r: Run): { dc: number; firstLines: number; perAccount: number } => {
      const attack = r.events.filter((e) => r.campaign.has(String(e['account'])));
      const texts = attack.map((e) => JSON.stringify(e['messages'])).map((t) => t.slice(0, 60));
      return {
        dc: attack.filter((e) => DC_ASNS.has(Number(e['asn']))).length / attack.length,
        firstLines: new Set(texts).size / texts.length,
        perAccount: attack.length / new Set(attack.map((e) => String(e['account']))).size,
      };
    };
    const base = stats(run);
    const ev = stats(evasive);
    expect(base.dc).toBeGreaterThan(0.8);
    expect(ev.dc).toBeLessThan(base.dc - 0.3);
    expect(ev.perAccount).toBeLessThan(base.perAccount);
    expect(ev.firstLines).toBeGreaterThan(base.firstLines);
  });
});
