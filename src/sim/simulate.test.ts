import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRecord, ModelRelease, TrafficEvent, UsageError } from '../domain/index.js';
import { corpora, readRun, type Rec } from './fixtures/load.js';
import { runSim, type SimSummary } from './simulate.js';

const root = mkdtempSync(join(tmpdir(), 'sim-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(
  name: string,
  seed: number,
  scale = 0.05,
  days = 1,
  evasion = 0,
): { dir: string; summary: SimSummary } {
  const dir = join(root, name);
  return { dir, summary: runSim({ seed, scale, days, evasion, out: dir }, { corpora: corpora() }) };
}

describe('runSim determinism', () => {
  it('writes identical bytes for the same seed and different bytes for another seed', () => {
    const a = run('a', 7);
    const b = run('b', 7);
    const c = run('c', 8);
    const read = (d: string, f: string): string => readFileSync(join(d, f), 'utf8');
    expect(read(a.dir, 'events.ndjson')).toBe(read(b.dir, 'events.ndjson'));
    expect(read(a.dir, 'labels.ndjson')).toBe(read(b.dir, 'labels.ndjson'));
    expect(read(a.dir, 'events.ndjson')).not.toBe(read(c.dir, 'events.ndjson'));
    expect(a.summary.events).toBeGreaterThan(1000);
  });

  it('rejects out-of-range options with a usage error', () => {
    expect(() =>
      runSim({ seed: 1, scale: 1, days: 1, evasion: 2, out: join(root, 'bad') }, { corpora: corpora() }),
    ).toThrow(UsageError);
    expect(() =>
      runSim({ seed: -1, scale: 1, days: 1, out: join(root, 'bad') }, { corpora: corpora() }),
    ).toThrow(/seed/);
  });
});

describe('simulated records', () => {
  let records: Rec[];
  let labels: Rec[];
  let summary: SimSummary;
  beforeAll(() => {
    const r = run('main', 3, 0.2, 2);
    summary = r.summary;
    ({ records, labels } = readRun(r.dir));
  });

  it('all validate under the domain schemas', () => {
    for (const rec of records) {
      const schema =
        rec.type === 'account' ? AccountRecord : rec.type === 'model_release' ? ModelRelease : TrafficEvent;
      const res = schema.safeParse(rec);
      if (!res.success)
        throw new Error(
          `invalid ${rec.type} record: ${res.error.message}\n${JSON.stringify(rec).slice(0, 300)}`,
        );
    }
    expect(records.filter((r) => r.type === 'event')).toHaveLength(summary.events);
  });

  it("are in time order, with each account record before the account's first event", () => {
    const start = Date.parse(summary.start);
    const timeOf = (r: Rec): number =>
      r.type === 'account'
        ? Math.max(start, Date.parse(String(r['created'])))
        : Date.parse(String(r.type === 'model_release' ? r['released'] : r['ts']));
    const seen = new Set<string>();
    let prev = 0;
    const problems: string[] = [];
    for (const r of records) {
      const t = timeOf(r);
      if (t < prev) problems.push(`out of order: ${JSON.stringify(r).slice(0, 120)}`);
      prev = t;
      if (r.type === 'account') seen.add(String(r['account']));
      if (r.type === 'event' && !seen.has(String(r['account'])))
        problems.push(`event before its account record: ${String(r['id'])}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('use ISO timestamps with milliseconds, unique event ids and opaque account ids', () => {
    const events = records.filter((r) => r.type === 'event');
    expect(new Set(events.map((e) => e['id'])).size).toBe(events.length);
    for (const e of events.slice(0, 2000))
      expect(String(e['ts'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const l of labels) expect(String(l['account'])).toMatch(/^acct_[0-9a-f]{12}$/);
  });

  it('include exactly one model release inside the window', () => {
    const rel = records.filter((r) => r.type === 'model_release');
    expect(rel).toHaveLength(1);
    const t = Date.parse(String(rel[0]!['released']));
    expect(t).toBeGreaterThan(Date.parse(summary.start));
    expect(t).toBeLessThan(Date.parse(summary.end));
  });

  it('label every account with events exactly once, and every attack with a campaign', () => {
    const accountLabels = new Map<string, number>();
    const endUserLabels = new Set<string>();
    for (const l of labels) {
      if (l['end_user'] === undefined)
        accountLabels.set(String(l['account']), (accountLabels.get(String(l['account'])) ?? 0) + 1);
      else endUserLabels.add(`${String(l['account'])}/${l['end_user'] as string}`);
      if (l['label'] === 'attack') expect(String(l['campaign'])).toMatch(/^camp-3-\d+$/);
      else expect(l['campaign']).toBeNull();
    }
    expect([...accountLabels.values()].every((n) => n === 1)).toBe(true);
    const missing: string[] = [];
    for (const r of records) {
      if (r.type !== 'event') continue;
      if (!accountLabels.has(String(r['account']))) missing.push(String(r['account']));
      if (
        r['end_user'] !== undefined &&
        !endUserLabels.has(`${String(r['account'])}/${r['end_user'] as string}`)
      )
        missing.push(r['end_user'] as string);
    }
    expect(missing.slice(0, 5)).toEqual([]);
  });

  it('keep attack traffic a minority of events and benign accounts the majority of accounts', () => {
    const share = summary.attackEvents / summary.events;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.35);
    expect(summary.attackAccounts / summary.accounts).toBeLessThan(0.4);
  });

  it('keep token counts consistent with the text and outputs within the cap', () => {
    const bad: string[] = [];
    const events = records.filter((r) => r.type === 'event' && r['status'] === 200);
    for (let i = 0; i < events.length; i += 7) {
      const e = TrafficEvent.parse(events[i]);
      const chars = JSON.stringify(e.messages ?? e.prompt).length;
      const input = e.usage?.input_tokens ?? 0;
      if (input < chars / 12 || input > chars + 4000) bad.push(`${e.id}: ${input} tokens for ${chars} chars`);
      const cap = e.params?.max_tokens;
      const out = (e.usage?.output_tokens ?? 0) + (e.usage?.reasoning_tokens ?? 0);
      if (cap !== undefined && out > cap * (e.params?.n ?? 1))
        bad.push(`${e.id}: ${out} output tokens over the cap ${cap}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
