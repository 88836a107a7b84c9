import type { Store } from '../../ports/index.js';
import { allowlistOp, allowlistRemovalOp, campaignOp, decisionOp } from './ops.js';
import type { RedisDecisionPublisher } from './publisher.js';

/**
 * A Store that, after each committed write of a decision, allowlist entry or campaign,
 * hands the change to the Redis publisher: the source of truth is written first, and a
 * Redis failure never fails the write (the publisher owes a resync instead). Used by every
 * role that writes decisions in the scale-out mode (correlator, api).
 * @example const store = createPublishingStore(await createPostgresStore({ connection }), publisher);
 */
export function createPublishingStore(
  inner: Store,
  publisher: RedisDecisionPublisher,
  now: () => number = Date.now,
): Store {
  return {
    kind: inner.kind,
    putAccounts: (results) => inner.putAccounts(results),
    getAccount: (account, endUser) => inner.getAccount(account, endUser),
    listAccounts: (query) => inner.listAccounts(query),
    accountActivity: (bucketMs) => inner.accountActivity(bucketMs),
    accountStats: () => inner.accountStats(),
    async putCampaigns(campaigns) {
      await inner.putCampaigns(campaigns);
      publisher.enqueue(campaigns.map(campaignOp));
    },
    getCampaign: (id) => inner.getCampaign(id),
    listCampaigns: (query) => inner.listCampaigns(query),
    async putDecision(decision) {
      await inner.putDecision(decision);
      publisher.enqueue([decisionOp(decision, now())]);
    },
    getDecision: (id) => inner.getDecision(id),
    listDecisions: (query) => inner.listDecisions(query),
    putAppeal: (appeal) => inner.putAppeal(appeal),
    getAppeal: (id) => inner.getAppeal(id),
    listAppeals: (query) => inner.listAppeals(query),
    async putAllowlist(entry) {
      await inner.putAllowlist(entry);
      publisher.enqueue([allowlistOp(entry, now())]);
    },
    async deleteAllowlist(id) {
      const removed = await inner.deleteAllowlist(id);
      if (removed) publisher.enqueue([allowlistRemovalOp(id)]);
      return removed;
    },
    listAllowlist: (nowTs) => inner.listAllowlist(nowTs),
    appendAudit: (entry) => inner.appendAudit(entry),
    listAudit: (query) => inner.listAudit(query),
    putScan: (scan) => inner.putScan(scan),
    listScans: () => inner.listScans(),
    close: () => inner.close(),
  };
}
