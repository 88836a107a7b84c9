import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { AccountResult, Campaign, Decision } from '../../domain/index.js';
import type { Store } from '../../ports/index.js';

export function sampleAccount(account: string, over: Partial<AccountResult> = {}): AccountResult {
  return {
    account,
    score: 0.1,
    flagged: false,
    action: 'allow',
    campaign: null,
    first_flagged_ts: null,
    exchanges_before_flag: null,
    exchanges: 10,
    first_seen_ts: 1_000,
    last_seen_ts: 2_000,
    reasons: [],
    ...over,
  };
}

function sampleCampaign(id: string, score: number): Campaign {
  return {
    id,
    score,
    accounts: ['a', 'b'],
    size: 2,
    first_seen_ts: 1,
    last_seen_ts: 2,
    first_flagged_ts: null,
    exchanges: 5,
    signals: { reasoning_share: 0.9 },
    edges: [{ a: 'a', b: 'b', weight: 1, reasons: [{ kind: 'payment_fp', value: 'pf1', weight: 1 }] }],
    explanation: 'shared payment fingerprint',
  };
}

function sampleDecision(id: string, account: string, created: number): Decision {
  return {
    id,
    target: { kind: 'account', account },
    action: 'throttle',
    reasons: ['score 0.93 ≥ 0.8'],
    source: 'policy:default/high-risk',
    created_ts: created,
    expires_ts: null,
    params: { rpm: 10 },
    status: 'active',
  };
}

/**
 * The behaviour every Store adapter must show. Each adapter's test file calls this with a
 * factory that returns a fresh, empty store.
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store> | Store): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores an account and reads it back unchanged, per end user too', async () => {
      const finding = {
        detector: 'volume',
        score: 0.7,
        explanation: 'x',
        signals: { rpm: { value: 3, baseline: 1 } },
        event_ids: ['e1'],
        sample_prompts: ['<b>hi</b>'],
      };
      const a = sampleAccount('acct1', { reasons: [finding] });
      const b = sampleAccount('acct1', { end_user: 'u1', score: 0.9, flagged: true });
      await store.putAccounts([a, b]);
      expect(await store.getAccount('acct1')).toEqual(a);
      expect(await store.getAccount('acct1', 'u1')).toEqual(b);
      expect(await store.getAccount('nobody')).toBeNull();
    });

    it('replaces an account on a second put instead of duplicating it', async () => {
      await store.putAccounts([sampleAccount('a1', { score: 0.2 })]);
      await store.putAccounts([sampleAccount('a1', { score: 0.8 })]);
      const page = await store.listAccounts({ limit: 10 });
      expect(page.total).toBe(1);
      expect(page.items[0]?.score).toBe(0.8);
    });

    it('filters, sorts by score and pages accounts with a cursor until the end', async () => {
      const rows = Array.from({ length: 25 }, (_, i) =>
        sampleAccount(`acct-${String(i).padStart(2, '0')}`, {
          score: (i % 10) / 10,
          flagged: i % 2 === 0,
          campaign: i < 5 ? 'c1' : null,
        }),
      );
      await store.putAccounts(rows);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<Store['listAccounts']>> = await store.listAccounts({
          limit: 7,
          cursor,
        });
        expect(page.total).toBe(25);
        seen.push(...page.items.map((r) => r.account));
        cursor = page.next;
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(25);
      const scores = (await store.listAccounts({ limit: 25 })).items.map((r) => r.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      expect((await store.listAccounts({ limit: 100, flagged: true })).total).toBe(13);
      expect((await store.listAccounts({ limit: 100, campaign: 'c1' })).total).toBe(5);
      expect(
        (await store.listAccounts({ limit: 100, minScore: 0.85 })).items.every((r) => r.score >= 0.85),
      ).toBe(true);
      expect((await store.listAccounts({ limit: 100, search: 'acct-1' })).total).toBe(10);
    });

    it('treats search text as data, not as a query', async () => {
      await store.putAccounts([sampleAccount("o'brien%_"), sampleAccount('plain')]);
      expect((await store.listAccounts({ limit: 10, search: "'%_" })).items.map((r) => r.account)).toEqual(
        [],
      );
      expect((await store.listAccounts({ limit: 10, search: 'n%_' })).items.map((r) => r.account)).toEqual([
        "o'brien%_",
      ]);
    });

    it('aggregates accounts per time bucket and per action without loading them', async () => {
      await store.putAccounts([
        sampleAccount('a1', { first_seen_ts: 1_000, exchanges: 5 }),
        sampleAccount('a2', { first_seen_ts: 1_500, exchanges: 7, flagged: true, action: 'block', first_flagged_ts: 3_200 }),
        sampleAccount('a3', { first_seen_ts: 3_999, flagged: true, action: 'throttle', first_flagged_ts: null }),
        sampleAccount('a3', { end_user: 'u', first_seen_ts: 3_100, action: 'block', flagged: true, first_flagged_ts: 3_100 }),
      ]);
      expect(await store.accountActivity(1_000)).toEqual([
        { ts: 1_000, first_seen: 2, flagged: 0, exchanges: 12 },
        { ts: 3_000, first_seen: 2, flagged: 2, exchanges: 20 },
      ]);
      expect(await store.accountStats()).toEqual({ accounts: 4, flagged: 3, by_action: { allow: 1, block: 2, throttle: 1 } });
    });

    it('stores campaigns and lists them by score', async () => {
      await store.putCampaigns([sampleCampaign('c1', 0.5), sampleCampaign('c2', 0.9)]);
      expect(await store.getCampaign('c1')).toEqual(sampleCampaign('c1', 0.5));
      const page = await store.listCampaigns({ limit: 10 });
      expect(page.items.map((c) => c.id)).toEqual(['c2', 'c1']);
      expect((await store.listCampaigns({ limit: 10, minScore: 0.6 })).total).toBe(1);
    });

    it('stores decisions, updates their status and lists them newest first per account', async () => {
      await store.putDecision(sampleDecision('d1', 'a1', 10));
      await store.putDecision(sampleDecision('d2', 'a1', 20));
      await store.putDecision(sampleDecision('d3', 'a2', 30));
      await store.putDecision({ ...sampleDecision('d1', 'a1', 10), status: 'overridden' });
      expect((await store.getDecision('d1'))?.status).toBe('overridden');
      expect((await store.listDecisions({ limit: 10, account: 'a1' })).items.map((d) => d.id)).toEqual([
        'd2',
        'd1',
      ]);
      expect((await store.listDecisions({ limit: 10, status: 'active' })).total).toBe(2);
    });

    it('keeps appeals with their resolution', async () => {
      const appeal = {
        id: 'ap1',
        decision_id: 'd1',
        account: 'a1',
        submitted_ts: 5,
        message: 'we are a university lab',
        status: 'pending' as const,
        resolved_ts: null,
        resolver: null,
        resolution_reason: null,
      };
      await store.putAppeal(appeal);
      expect((await store.listAppeals({ limit: 10, status: 'pending' })).total).toBe(1);
      await store.putAppeal({
        ...appeal,
        status: 'overturned',
        resolved_ts: 9,
        resolver: 'rev',
        resolution_reason: 'verified lab',
      });
      expect(await store.getAppeal('ap1')).toMatchObject({
        status: 'overturned',
        resolution_reason: 'verified lab',
      });
      expect((await store.listAppeals({ limit: 10, status: 'pending' })).total).toBe(0);
    });

    it('lists only unexpired allowlist entries and deletes them', async () => {
      await store.putAllowlist({
        id: 'al1',
        subject: 'org:lab',
        owner: 'trust',
        reason: 'research programme',
        created_ts: 0,
        expires_ts: 100,
      });
      await store.putAllowlist({
        id: 'al2',
        subject: 'org:old',
        owner: 'trust',
        reason: 'expired',
        created_ts: 0,
        expires_ts: 10,
      });
      expect((await store.listAllowlist(50)).map((e) => e.id)).toEqual(['al1']);
      expect(await store.deleteAllowlist('al1')).toBe(true);
      expect(await store.deleteAllowlist('al1')).toBe(false);
      expect(await store.listAllowlist(50)).toEqual([]);
    });

    it('appends audit entries with increasing sequence numbers and lists newest first', async () => {
      const s1 = await store.appendAudit({
        ts: 1,
        actor: 'alice',
        action: 'override',
        target: 'd1',
        detail: { from: 'block' },
      });
      const s2 = await store.appendAudit({
        ts: 2,
        actor: 'bob',
        action: 'appeal.resolve',
        target: 'ap1',
        detail: {},
      });
      expect(s2).toBeGreaterThan(s1);
      const page = await store.listAudit({ limit: 10 });
      expect(page.items.map((e) => e.actor)).toEqual(['bob', 'alice']);
      expect(page.items[0]?.seq).toBe(s2);
    });

    it('records scans', async () => {
      await store.putScan({ id: 's1', ts: 1, summary: { accepted: 3 } });
      await store.putScan({ id: 's2', ts: 2, summary: { accepted: 4 } });
      expect((await store.listScans()).map((s) => s.id)).toEqual(['s2', 's1']);
    });
  });
}
