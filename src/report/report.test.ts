import { beforeEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_ID, seedStore, T0, XSS_PAYLOADS } from '../../test/e2e/console-seed.js';
import type { Store } from '../ports/index.js';
import { createMemoryStore } from '../store/memory/index.js';
import { campaignReport, esc, parseTaskMix, transparencyReport } from './index.js';

let store: Store;
beforeEach(async () => {
  store = createMemoryStore();
  await seedStore(store);
});

/** Every tag in the document must be one the report itself writes. */
function foreignTags(html: string): string[] {
  const allowed = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'div', 'b', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption', 'svg', 'rect', 'text', 'line', 'g']);
  return [...html.matchAll(/<\/?([a-z!][a-z0-9-]*)/gi)].map((m) => (m[1] ?? '').toLowerCase()).filter((t) => !allowed.has(t));
}

describe('reports', () => {
  it('escapes every attacker-controlled string of the incident report', async () => {
    const html = await campaignReport(store, CAMPAIGN_ID, T0);
    expect(foreignTags(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<iframe|<img|<[^>]*\son\w+=/i);
    expect(html).toContain(esc(XSS_PAYLOADS[0]));
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;');
    expect(html).toContain('Incident report: campaign cmp-&lt;b&gt;evil&lt;/b&gt;');
    // the four plots
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain('Capability mix');
    expect(html).toContain('coding');
  });

  it('writes the transparency report with the overturn rate', async () => {
    await store.putAppeal({ id: 'a2', decision_id: 'dec_seed_2', account: 'acct_0001', submitted_ts: T0, message: 'x', status: 'overturned', resolved_ts: T0 + 3_600_000, resolver: 'ana', resolution_reason: 'research lab' });
    await store.putAppeal({ id: 'a3', decision_id: 'dec_seed_2', account: 'acct_0001', submitted_ts: T0, message: 'x', status: 'upheld', resolved_ts: T0 + 7_200_000, resolver: 'ana', resolution_reason: 'confirmed' });
    const html = await transparencyReport(store, T0);
    expect(html).toContain('50.0%');
    expect(html).toContain('1.5 h');
    expect(foreignTags(html)).toEqual([]);
  });

  it('reads the task mix of the capability detector', () => {
    expect([...parseTaskMix('task mix: coding 60%, math 40% (top: coding)')]).toEqual([['coding', 0.6], ['math', 0.4]]);
    expect(esc('a\u0000b<')).toBe('a\uFFFDb&lt;');
  });
});
