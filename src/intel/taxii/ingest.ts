import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { IntelStore, NewIntelObject, TaxiiStatusDetail, TaxiiStatusRecord } from '../../ports/index.js';
import {
  objectVersion,
  parseStixTimestamp,
  StixObject,
  tlpOfObject,
  type StixValidator,
} from '../stix/index.js';
import {
  Envelope,
  STIX_MEDIA_TYPE,
  type CollectionConfig,
  type PeerConfig,
  type TaxiiServerConfig,
} from './config.js';
import { isTaxiiContentType, TaxiiHttpError } from './http.js';

async function readBody(c: Context, max: number): Promise<unknown> {
  if (!isTaxiiContentType(c.req.header('Content-Type'))) {
    throw new TaxiiHttpError(
      415,
      'Unsupported Media Type',
      'send Content-Type: application/taxii+json;version=2.1',
    );
  }
  const declared = Number(c.req.header('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > max)
    throw new TaxiiHttpError(413, 'Payload Too Large', `body exceeds max_content_length ${max}`);
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > max)
    throw new TaxiiHttpError(413, 'Payload Too Large', `body exceeds max_content_length ${max}`);
  try {
    return JSON.parse(new TextDecoder().decode(buf)) as unknown;
  } catch {
    throw new TaxiiHttpError(400, 'Bad JSON', 'the body is not JSON');
  }
}

function describe(obj: unknown): { id: string; version: string } {
  const o = (obj ?? {}) as { id?: unknown; modified?: unknown; created?: unknown };
  const id = typeof o.id === 'string' ? o.id.slice(0, 200) : '(no id)';
  const v = typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : '';
  return { id, version: v.slice(0, 40) };
}

/**
 * Handles "Add Objects" (spec 5.5): checks media type and size, validates every object
 * (STIX common properties, then the official schemas when a validator is configured), stores
 * the good ones with the request's date_added, and answers with a complete status resource.
 */
export async function ingestEnvelope(
  c: Context<{ Variables: { peer: PeerConfig } }>,
  o: {
    store: IntelStore;
    config: TaxiiServerConfig;
    collection: CollectionConfig;
    apiRoot: string;
    dateAdded: number;
    validator?: StixValidator;
  },
): Promise<Omit<TaxiiStatusRecord, 'apiRoot' | 'owner'>> {
  const body = await readBody(c, o.config.max_content_length);
  const env = Envelope.safeParse(body);
  if (!env.success)
    throw new TaxiiHttpError(400, 'Bad envelope', 'expected a TAXII envelope with an objects array');
  const peer = c.get('peer');
  const successes: TaxiiStatusDetail[] = [];
  const failures: TaxiiStatusDetail[] = [];
  const records: NewIntelObject[] = [];
  for (const raw of env.data.objects ?? []) {
    const parsed = StixObject.safeParse(raw);
    const issues = parsed.success
      ? (o.validator?.validateObject(raw) ?? [])
      : [{ id: '', message: 'not a STIX object (type, id)' }];
    if (!parsed.success || issues.length > 0) {
      failures.push({
        ...describe(raw),
        message: issues
          .map((i) => i.message)
          .join('; ')
          .slice(0, 500),
      });
      continue;
    }
    const obj = parsed.data;
    const version = objectVersion(obj);
    records.push({
      collection: o.collection.id,
      id: obj.id,
      type: obj.type,
      version,
      versionMs: parseStixTimestamp(version),
      specVersion: obj.spec_version ?? '2.0',
      mediaType: obj.spec_version === '2.0' ? 'application/stix+json;version=2.0' : STIX_MEDIA_TYPE,
      dateAdded: o.dateAdded,
      addedBy: peer.id,
      tlp: tlpOfObject(obj) ?? null,
      object: obj,
    });
    successes.push({ id: obj.id, version });
  }
  await o.store.putObjects(records);
  const status: TaxiiStatusRecord = {
    id: randomUUID(),
    apiRoot: o.apiRoot,
    owner: peer.id,
    status: 'complete',
    request_timestamp: new Date(o.dateAdded).toISOString(),
    total_count: successes.length + failures.length,
    success_count: successes.length,
    successes,
    failure_count: failures.length,
    failures,
    pending_count: 0,
    pendings: [],
  };
  await o.store.putStatus(status);
  const { apiRoot: _a, owner: _o, ...resource } = status;
  return resource;
}
