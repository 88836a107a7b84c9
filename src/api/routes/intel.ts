import { Hono } from 'hono';
import { z } from 'zod';
import { StillwatchError } from '../../domain/index.js';
import type { IntelObjectRecord, IntelStore } from '../../ports/index.js';
import { consoleAllows, requireConsolePermission } from '../console-access.js';
import type { ApiEnv } from '../context.js';
import { query } from '../validate.js';

export const IntelObjectsQuery = z.strictObject({
  collection: z.string().min(1).max(256),
  type: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,15}$/).optional(),
});
export const IntelCollection = z.object({ id: z.string(), direction: z.enum(['shared', 'received']), peer: z.string().nullable(), last_pull_ts: z.number().nullable() });
export const IntelObjectView = z.object({ collection: z.string(), id: z.string(), type: z.string(), version: z.string(), date_added: z.number(), added_by: z.string(), tlp: z.string().nullable(), object: z.record(z.string(), z.unknown()) });
export const IntelObjectPageView = z.object({ items: z.array(IntelObjectView), next: z.string().nullable() });

export interface IntelRouterOptions {
  intel: IntelStore;
  /** Collections we publish to peers ("what was shared"). */
  localCollections: readonly string[];
}

const view = (r: IntelObjectRecord): z.infer<typeof IntelObjectView> => ({ collection: r.collection, id: r.id, type: r.type, version: r.version, date_added: r.dateAdded, added_by: r.addedBy, tlp: r.tlp, object: r.object });

/**
 * Intel: what we shared (local collections), what peers sent us (`peer:<id>` collections,
 * pulled by `stillwatch intel pull`) and sightings. Peers read only what we shared.
 */
export function intelRouter(options: IntelRouterOptions): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const { intel, localCollections } = options;
  async function collections(seesReceived: boolean): Promise<z.infer<typeof IntelCollection>[]> {
    const shared = localCollections.map((id) => ({ id, direction: 'shared' as const, peer: null, last_pull_ts: null }));
    if (!seesReceived) return shared;
    const peers = await intel.listPeers();
    return [...shared, ...peers.map((p) => ({ id: `peer:${p.id}`, direction: 'received' as const, peer: p.id, last_pull_ts: p.lastPullTs }))];
  }
  r.get('/collections', requireConsolePermission('intel:read'), async (c) => {
    return c.json({ items: await collections(consoleAllows(c.get('principal').role, 'intel:read-received')) });
  });
  r.get('/objects', requireConsolePermission('intel:read'), async (c) => {
    const q = query(c, IntelObjectsQuery);
    const visible = await collections(consoleAllows(c.get('principal').role, 'intel:read-received'));
    if (!visible.some((v) => v.id === q.collection)) throw new StillwatchError('FORBIDDEN', `collection ${q.collection} is not visible to role ${c.get('principal').role}`);
    const page = await intel.queryObjects({ collection: q.collection, types: q.type ? [q.type] : undefined, afterSeq: q.cursor ? Number(q.cursor) : undefined, limit: q.limit });
    const last = page.items.at(-1);
    return c.json({ items: page.items.map(view), next: page.more && last ? String(last.seq) : null });
  });
  return r;
}
