import { Hono, type Context } from 'hono';
import { StillwatchError } from '../../domain/index.js';
import type { IntelObjectRecord, IntelStore } from '../../ports/index.js';
import { mayShare, type StixValidator } from '../stix/index.js';
import { authenticate, canRead, canWrite } from './auth.js';
import {
  TaxiiServerConfig,
  TAXII_MEDIA_TYPE,
  type ApiRootConfig,
  type CollectionConfig,
  type PeerConfig,
  type TaxiiServerConfigInput,
} from './config.js';
import { acceptsMediaType, errorResource, TaxiiHttpError } from './http.js';
import { ingestEnvelope } from './ingest.js';
import { encodeCursor, parseObjectQuery, type ParsedQuery } from './query.js';

type Env = { Variables: { peer: PeerConfig } };

export interface TaxiiServerOptions {
  config: TaxiiServerConfigInput;
  store: IntelStore;
  /** Official-schema validation of posted objects; without it only the STIX common properties are checked. */
  validator?: StixValidator;
  now?: () => number;
}

const ts = (ms: number): string => new Date(ms).toISOString();

function json(c: Context, body: unknown, status: 200 | 202 = 200): Response {
  return c.body(JSON.stringify(body), status, { 'Content-Type': TAXII_MEDIA_TYPE });
}

/**
 * A TAXII 2.1 server (OASIS TAXII 2.1 OS) over an IntelStore: discovery, API roots, status,
 * collections, objects (with paging and filters), manifest, versions, get and delete object.
 * HTTP Basic and Bearer auth, per-peer read/write permissions per collection, TLP 2.0 enforced
 * on every read, and a maximum content length.
 * @example serve({ fetch: createTaxiiApp({ config, store }).fetch, port: 9443 })
 */
export function createTaxiiApp(options: TaxiiServerOptions): Hono<Env> {
  const config = TaxiiServerConfig.parse(options.config);
  const store = options.store;
  const now = options.now ?? Date.now;
  let lastAdded = 0;
  const nextDateAdded = (): number => (lastAdded = Math.max(now(), lastAdded + 1));
  const app = new Hono<Env>();

  app.onError((err, c) => {
    const { status, body } = errorResource(err);
    const headers: Record<string, string> = { 'Content-Type': TAXII_MEDIA_TYPE };
    if (status === 401)
      headers['WWW-Authenticate'] = 'Basic realm="stillwatch-taxii", Bearer realm="stillwatch-taxii"';
    return c.body(JSON.stringify(body), status as 400, headers);
  });
  app.notFound(() => {
    throw new StillwatchError('NOT_FOUND', 'no such resource');
  });

  app.use('*', async (c, next) => {
    c.set('peer', authenticate(c.req.header('Authorization'), config.peers));
    if (!acceptsMediaType(c.req.header('Accept'), 'taxii+json')) {
      throw new TaxiiHttpError(406, 'Not Acceptable', `send Accept: ${TAXII_MEDIA_TYPE}`);
    }
    await next();
  });

  const root = (c: Context<Env>): ApiRootConfig => {
    const r = config.api_roots.find((x) => x.name === c.req.param('root'));
    if (!r) throw new StillwatchError('NOT_FOUND', 'no such API root');
    return r;
  };
  const visible = (peer: PeerConfig, col: CollectionConfig): boolean =>
    canRead(peer, col.id) || canWrite(peer, col.id);
  const collection = (c: Context<Env>, need?: 'read' | 'write'): CollectionConfig => {
    const peer = c.get('peer');
    const col = root(c).collections.find(
      (x) => x.id === c.req.param('cid') || (x.alias !== undefined && x.alias === c.req.param('cid')),
    );
    if (!col || !visible(peer, col)) throw new StillwatchError('NOT_FOUND', 'no such collection');
    if (need === 'read' && !canRead(peer, col.id))
      throw new StillwatchError('FORBIDDEN', 'no read access to this collection');
    if (need === 'write' && !canWrite(peer, col.id))
      throw new StillwatchError('FORBIDDEN', 'no write access to this collection');
    return col;
  };
  const collectionResource = (peer: PeerConfig, col: CollectionConfig): Record<string, unknown> => ({
    id: col.id,
    title: col.title,
    ...(col.description ? { description: col.description } : {}),
    ...(col.alias ? { alias: col.alias } : {}),
    can_read: canRead(peer, col.id),
    can_write: canWrite(peer, col.id),
    media_types: col.media_types,
  });

  /** TLP on every read: clearance, and objects another peer gave us only when CLEAR or GREEN. */
  const readable = (peer: PeerConfig, r: IntelObjectRecord): boolean =>
    r.addedBy === peer.id ||
    mayShare(r.object, {
      clearance: peer.clearance,
      reshare: r.addedBy !== 'local',
      unmarkedAs: config.unmarked_as,
    });

  /** Pages through the store, skipping what the peer may not see, so `limit` counts only visible objects. */
  const readPage = async (
    c: Context<Env>,
    colId: string,
    q: ParsedQuery,
  ): Promise<{ items: IntelObjectRecord[]; more: boolean; next?: string }> => {
    const peer = c.get('peer');
    const items: IntelObjectRecord[] = [];
    let afterSeq = q.afterSeq;
    for (let round = 0; round < 50; round++) {
      const page = await store.queryObjects({
        ...q,
        collection: colId,
        ...(afterSeq !== undefined ? { afterSeq } : {}),
        limit: q.limit - items.length,
      });
      for (const r of page.items) if (readable(peer, r)) items.push(r);
      const last = page.items[page.items.length - 1];
      if (last) afterSeq = last.seq;
      if (!page.more) return { items, more: false };
      if (items.length >= q.limit) return { items, more: true, next: encodeCursor(afterSeq ?? 0) };
    }
    return { items, more: true, next: encodeCursor(afterSeq ?? 0) };
  };
  const pageHeaders = (c: Context, items: IntelObjectRecord[]): void => {
    const first = items[0];
    const last = items[items.length - 1];
    if (first && last) {
      c.header('X-TAXII-Date-Added-First', ts(Math.min(...items.map((i) => i.dateAdded))));
      c.header('X-TAXII-Date-Added-Last', ts(Math.max(...items.map((i) => i.dateAdded))));
    }
  };
  const queryOf = (c: Context<Env>, defaults?: { versions?: 'all' }): ParsedQuery =>
    parseObjectQuery(c.req.query(), {
      defaultLimit: config.default_page_size,
      maxLimit: config.max_page_size,
      ...(defaults?.versions ? { defaultVersions: defaults.versions } : {}),
    });

  app.get('/taxii2/', (c) => {
    const origin = new URL(c.req.url).origin;
    return json(c, {
      title: config.title,
      ...(config.description ? { description: config.description } : {}),
      ...(config.contact ? { contact: config.contact } : {}),
      ...(config.default_api_root ? { default: `${origin}/${config.default_api_root}/` } : {}),
      api_roots: config.api_roots.map((r) => `${origin}/${r.name}/`),
    });
  });

  app.get('/:root/', (c) => {
    const r = root(c);
    return json(c, {
      title: r.title,
      ...(r.description ? { description: r.description } : {}),
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: config.max_content_length,
    });
  });

  app.get('/:root/status/:sid/', async (c) => {
    root(c);
    const s = await store.getStatus(c.req.param('sid'));
    if (!s || s.apiRoot !== c.req.param('root') || s.owner !== c.get('peer').id)
      throw new StillwatchError('NOT_FOUND', 'no such status');
    const { apiRoot: _a, owner: _o, ...resource } = s;
    return json(c, resource);
  });

  app.get('/:root/collections/', (c) => {
    const peer = c.get('peer');
    const cols = root(c)
      .collections.filter((col) => visible(peer, col))
      .map((col) => collectionResource(peer, col));
    return json(c, cols.length > 0 ? { collections: cols } : {});
  });

  app.get('/:root/collections/:cid/', (c) => json(c, collectionResource(c.get('peer'), collection(c))));

  app.get('/:root/collections/:cid/manifest/', async (c) => {
    const col = collection(c, 'read');
    const page = await readPage(c, col.id, queryOf(c));
    pageHeaders(c, page.items);
    const objects = page.items.map((r) => ({
      id: r.id,
      date_added: ts(r.dateAdded),
      version: r.version,
      media_type: r.mediaType,
    }));
    return json(c, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      ...(objects.length > 0 ? { objects } : {}),
    });
  });

  app.get('/:root/collections/:cid/objects/', async (c) => {
    const col = collection(c, 'read');
    const page = await readPage(c, col.id, queryOf(c));
    pageHeaders(c, page.items);
    return json(c, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      ...(page.items.length > 0 ? { objects: page.items.map((r) => r.object) } : {}),
    });
  });

  app.post('/:root/collections/:cid/objects/', async (c) => {
    const col = collection(c, 'write');
    const status = await ingestEnvelope(c, {
      store,
      config,
      collection: col,
      apiRoot: c.req.param('root'),
      dateAdded: nextDateAdded(),
      ...(options.validator ? { validator: options.validator } : {}),
    });
    return json(c, status, 202);
  });

  app.get('/:root/collections/:cid/objects/:oid/', async (c) => {
    const col = collection(c, 'read');
    const page = await readPage(c, col.id, { ...queryOf(c), ids: [c.req.param('oid')] });
    if (page.items.length === 0) throw new StillwatchError('NOT_FOUND', 'no such object');
    pageHeaders(c, page.items);
    return json(c, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      objects: page.items.map((r) => r.object),
    });
  });

  app.delete('/:root/collections/:cid/objects/:oid/', async (c) => {
    const col = collection(c, 'write');
    if (!canRead(c.get('peer'), col.id))
      throw new StillwatchError('FORBIDDEN', 'deleting needs read and write access');
    const q = queryOf(c, { versions: 'all' });
    const n = await store.deleteObject(col.id, c.req.param('oid'), q.versions, q.specVersions);
    if (n === 0) throw new StillwatchError('NOT_FOUND', 'no such object');
    return c.body(null, 200);
  });

  app.get('/:root/collections/:cid/objects/:oid/versions/', async (c) => {
    const col = collection(c, 'read');
    const page = await readPage(c, col.id, { ...queryOf(c), ids: [c.req.param('oid')], versions: 'all' });
    if (page.items.length === 0) throw new StillwatchError('NOT_FOUND', 'no such object');
    pageHeaders(c, page.items);
    return json(c, {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      versions: page.items.map((r) => r.version),
    });
  });

  return app;
}
