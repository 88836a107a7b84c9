import { z } from 'zod';
import { StillwatchError, type ErrorCode } from '../../domain/index.js';
import { Envelope, StatusResource, TAXII_MEDIA_TYPE } from './config.js';

export type TaxiiAuth =
  { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

export interface TaxiiClientOptions {
  /** The API root URL, e.g. `https://peer.example/intel/` (trailing slash added if missing). */
  apiRoot: string;
  auth: TaxiiAuth;
  /** Requests larger than this are split (default: the server's max_content_length, else 1 MiB). */
  maxContentLength?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ObjectFilter {
  addedAfter?: string;
  limit?: number;
  next?: string;
  ids?: string[];
  types?: string[];
  versions?: string;
  specVersions?: string[];
}

const ApiRoot = z
  .object({
    title: z.string(),
    versions: z.array(z.string()),
    max_content_length: z.number().int().positive(),
  })
  .loose();
const Collection = z
  .object({
    id: z.string(),
    title: z.string(),
    can_read: z.boolean(),
    can_write: z.boolean(),
    media_types: z.array(z.string()).optional(),
  })
  .loose();
const Collections = z.object({ collections: z.array(Collection).optional() });
const Manifest = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z
    .array(
      z.object({
        id: z.string(),
        date_added: z.string(),
        version: z.string(),
        media_type: z.string().optional(),
      }),
    )
    .optional(),
});
const Versions = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  versions: z.array(z.string()).optional(),
});
const Discovery = z
  .object({ title: z.string(), api_roots: z.array(z.string()).optional(), default: z.string().optional() })
  .loose();

const CODE_OF: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

export interface PulledPage {
  objects: unknown[];
  more: boolean;
  next?: string;
  dateAddedLast?: string;
}

/**
 * A TAXII 2.1 client on the global fetch: every response checked for status, media type and
 * shape (zod). Credentials go only into the Authorization header and never into errors.
 * @example const c = createTaxiiClient({ apiRoot: 'http://127.0.0.1:9443/intel/', auth: { kind: 'bearer', token } });
 */
export function createTaxiiClient(opts: TaxiiClientOptions) {
  const root = opts.apiRoot.endsWith('/') ? opts.apiRoot : `${opts.apiRoot}/`;
  const doFetch = opts.fetch ?? fetch;
  const authHeader =
    opts.auth.kind === 'basic'
      ? `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`
      : `Bearer ${opts.auth.token}`;
  let maxContent = opts.maxContentLength;

  async function request<T>(
    url: string,
    schema: z.ZodType<T>,
    init: { method?: string; body?: string } = {},
  ): Promise<{ body: T; headers: Headers }> {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: init.method ?? 'GET',
        headers: {
          Accept: TAXII_MEDIA_TYPE,
          Authorization: authHeader,
          ...(init.body !== undefined ? { 'Content-Type': TAXII_MEDIA_TYPE } : {}),
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new StillwatchError('UNAVAILABLE', `TAXII server unreachable: ${new URL(url).origin}`, {
        cause: err,
      });
    }
    const text = await res.text();
    if (!res.ok) {
      const code = CODE_OF[res.status] ?? (res.status >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT');
      throw new StillwatchError(
        code,
        `TAXII ${init.method ?? 'GET'} ${new URL(url).pathname} answered ${res.status}`,
      );
    }
    if (init.method === 'DELETE') return { body: schema.parse({}), headers: res.headers };
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('application/taxii+json'))
      throw new StillwatchError('UNAVAILABLE', `TAXII server answered ${type || 'no content type'}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new StillwatchError('UNAVAILABLE', 'TAXII server answered invalid JSON', { cause: err });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new StillwatchError(
        'UNAVAILABLE',
        `TAXII response has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    return { body: parsed.data, headers: res.headers };
  }

  const qs = (f: ObjectFilter = {}): string => {
    const p = new URLSearchParams();
    if (f.addedAfter) p.set('added_after', f.addedAfter);
    if (f.limit) p.set('limit', String(f.limit));
    if (f.next) p.set('next', f.next);
    if (f.ids) p.set('match[id]', f.ids.join(','));
    if (f.types) p.set('match[type]', f.types.join(','));
    if (f.versions) p.set('match[version]', f.versions);
    if (f.specVersions) p.set('match[spec_version]', f.specVersions.join(','));
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  const col = (id: string): string => `${root}collections/${encodeURIComponent(id)}/`;

  const apiRoot = async () => (await request(root, ApiRoot)).body;
  const getObjects = async (collection: string, f?: ObjectFilter): Promise<PulledPage> => {
    const { body, headers } = await request(`${col(collection)}objects/${qs(f)}`, Envelope);
    const last = headers.get('x-taxii-date-added-last') ?? undefined;
    return {
      objects: body.objects ?? [],
      more: body.more ?? false,
      ...(body.next ? { next: body.next } : {}),
      ...(last ? { dateAddedLast: last } : {}),
    };
  };

  /** Every object added after `addedAfter`, following `next` until the server says there is no more. */
  const pullAll = async (
    collection: string,
    f: ObjectFilter = {},
  ): Promise<{ objects: unknown[]; dateAddedLast?: string }> => {
    const objects: unknown[] = [];
    let next: string | undefined;
    let last: string | undefined;
    for (let i = 0; i < 10_000; i++) {
      const page = await getObjects(collection, { ...f, ...(next ? { next } : {}) });
      objects.push(...page.objects);
      if (page.dateAddedLast && (!last || page.dateAddedLast > last)) last = page.dateAddedLast;
      if (!page.more || !page.next) break;
      next = page.next;
    }
    return { objects, ...(last ? { dateAddedLast: last } : {}) };
  };

  /** Adds objects, split into requests under the server's max_content_length. */
  const addObjects = async (collection: string, objects: readonly unknown[]) => {
    maxContent ??= (await apiRoot()).max_content_length;
    const statuses: z.infer<typeof StatusResource>[] = [];
    let batch: unknown[] = [];
    let size = 20;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      statuses.push(
        (
          await request(`${col(collection)}objects/`, StatusResource, {
            method: 'POST',
            body: JSON.stringify({ objects: batch }),
          })
        ).body,
      );
      batch = [];
      size = 20;
    };
    for (const o of objects) {
      const len = Buffer.byteLength(JSON.stringify(o)) + 1;
      if (len + 20 > (maxContent ?? 1 << 20))
        throw new StillwatchError('INVALID_INPUT', 'one object is larger than the server accepts');
      if (size + len > (maxContent ?? 1 << 20)) await flush();
      batch.push(o);
      size += len;
    }
    await flush();
    return statuses;
  };

  return {
    apiRoot,
    discovery: async (serverUrl: string) =>
      (await request(new URL('/taxii2/', serverUrl).toString(), Discovery)).body,
    collections: async () => (await request(`${root}collections/`, Collections)).body.collections ?? [],
    collection: async (id: string) => (await request(col(id), Collection)).body,
    getObjects,
    pullAll,
    addObjects,
    getObject: async (collection: string, id: string, f?: ObjectFilter) =>
      (await request(`${col(collection)}objects/${encodeURIComponent(id)}/${qs(f)}`, Envelope)).body
        .objects ?? [],
    versions: async (collection: string, id: string) =>
      (await request(`${col(collection)}objects/${encodeURIComponent(id)}/versions/`, Versions)).body
        .versions ?? [],
    manifest: async (collection: string, f?: ObjectFilter) =>
      (await request(`${col(collection)}manifest/${qs(f)}`, Manifest)).body,
    deleteObject: async (collection: string, id: string, f?: ObjectFilter) => {
      await request(`${col(collection)}objects/${encodeURIComponent(id)}/${qs(f)}`, z.object({}), {
        method: 'DELETE',
      });
    },
    status: async (id: string) =>
      (await request(`${root}status/${encodeURIComponent(id)}/`, StatusResource)).body,
  };
}

export type TaxiiClient = ReturnType<typeof createTaxiiClient>;
