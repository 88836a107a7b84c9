import type { AccountResult, Campaign, Decision } from '../../domain/index.js';
import type {
  AccountQuery,
  AllowlistEntry,
  Appeal,
  AuditEntry,
  CampaignQuery,
  DecisionQuery,
  Page,
  ScanRecord,
  Store,
} from '../../ports/index.js';
import { paginate } from './paging.js';
import { activityOf, compareAccounts, matchesAccountQuery, statsOf } from './queries.js';

const accountKey = (account: string, endUser?: string): string =>
  endUser === undefined ? account : `${account}\u0000${endUser}`;

/** The in-memory adapter: the reference implementation of the Store contract, used in tests. */
export function createMemoryStore(): Store {
  const accounts = new Map<string, AccountResult>();
  const campaigns = new Map<string, Campaign>();
  const decisions = new Map<string, Decision>();
  const appeals = new Map<string, Appeal>();
  const allowlist = new Map<string, AllowlistEntry>();
  const audit: AuditEntry[] = [];
  const scans: ScanRecord[] = [];
  const clone = <T>(v: T): T => structuredClone(v);

  return {
    kind: 'memory',
    putAccounts(results) {
      for (const r of results) accounts.set(accountKey(r.account, r.end_user), clone(r));
      return Promise.resolve();
    },
    getAccount(account, endUser) {
      return Promise.resolve(clone(accounts.get(accountKey(account, endUser)) ?? null));
    },
    listAccounts(q: AccountQuery): Promise<Page<AccountResult>> {
      const all = [...accounts.values()]
        .filter((a) => matchesAccountQuery(a, q))
        .sort(compareAccounts(q.sort));
      return Promise.resolve(clone(paginate(all, q.limit, q.cursor)));
    },
    accountActivity(bucketMs) {
      return Promise.resolve(activityOf(accounts.values(), bucketMs));
    },
    accountStats() {
      return Promise.resolve(statsOf(accounts.values()));
    },
    putCampaigns(list) {
      for (const c of list) campaigns.set(c.id, clone(c));
      return Promise.resolve();
    },
    getCampaign(id) {
      return Promise.resolve(clone(campaigns.get(id) ?? null));
    },
    listCampaigns(q: CampaignQuery) {
      const all = [...campaigns.values()]
        .filter((c) => q.minScore === undefined || c.score >= q.minScore)
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
      return Promise.resolve(clone(paginate(all, q.limit, q.cursor)));
    },
    putDecision(d) {
      decisions.set(d.id, clone(d));
      return Promise.resolve();
    },
    getDecision(id) {
      return Promise.resolve(clone(decisions.get(id) ?? null));
    },
    listDecisions(q: DecisionQuery) {
      const all = [...decisions.values()]
        .filter((d) => q.status === undefined || d.status === q.status)
        .filter((d) => q.account === undefined || ('account' in d.target && d.target.account === q.account))
        .sort((a, b) => b.created_ts - a.created_ts || a.id.localeCompare(b.id));
      return Promise.resolve(clone(paginate(all, q.limit, q.cursor)));
    },
    putAppeal(a) {
      appeals.set(a.id, clone(a));
      return Promise.resolve();
    },
    getAppeal(id) {
      return Promise.resolve(clone(appeals.get(id) ?? null));
    },
    listAppeals(q) {
      const all = [...appeals.values()]
        .filter((a) => q.status === undefined || a.status === q.status)
        .sort((a, b) => b.submitted_ts - a.submitted_ts || a.id.localeCompare(b.id));
      return Promise.resolve(clone(paginate(all, q.limit, q.cursor)));
    },
    putAllowlist(e) {
      allowlist.set(e.id, clone(e));
      return Promise.resolve();
    },
    deleteAllowlist(id) {
      return Promise.resolve(allowlist.delete(id));
    },
    listAllowlist(nowTs) {
      const live = [...allowlist.values()]
        .filter((e) => e.expires_ts > nowTs)
        .sort((a, b) => a.id.localeCompare(b.id));
      return Promise.resolve(clone(live));
    },
    appendAudit(entry) {
      const seq = audit.length + 1;
      audit.push(clone({ ...entry, seq }));
      return Promise.resolve(seq);
    },
    listAudit(q) {
      const newestFirst = [...audit].reverse();
      return Promise.resolve(clone(paginate(newestFirst, q.limit, q.cursor)));
    },
    putScan(s) {
      const i = scans.findIndex((x) => x.id === s.id);
      if (i >= 0) scans[i] = clone(s);
      else scans.push(clone(s));
      return Promise.resolve();
    },
    listScans() {
      return Promise.resolve(clone([...scans].sort((a, b) => b.ts - a.ts)));
    },
    close() {
      return Promise.resolve();
    },
  };
}
