import type { Campaign, Decision } from '../domain/index.js';
import type { Store } from '../ports/index.js';

const PAGE = 1000;

/**
 * Every decision enforcement may act on (active or under appeal), read page by page from the
 * source of truth; expiry is left to the caller, which knows its clock.
 */
export async function enforceableDecisions(store: Store): Promise<Decision[]> {
  const out: Decision[] = [];
  for (const status of ['active', 'appealed'] as const) {
    let cursor: string | null = null;
    do {
      const page = await store.listDecisions({ status, limit: PAGE, cursor });
      out.push(...page.items);
      cursor = page.next;
    } while (cursor !== null);
  }
  return out;
}

/** Every campaign in the store, page by page (campaign decisions reach their members through these). */
export async function allCampaigns(store: Store): Promise<Campaign[]> {
  const out: Campaign[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listCampaigns({ limit: PAGE, cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor !== null);
  return out;
}
