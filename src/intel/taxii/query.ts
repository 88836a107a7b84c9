import type { VersionFilter } from '../../ports/index.js';
import { TaxiiHttpError } from './http.js';

export interface ParsedQuery {
  addedAfter?: number;
  afterSeq?: number;
  limit: number;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  versions: VersionFilter;
}

const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function list(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items;
}

/** `next` is an opaque cursor: the store sequence number, in base 36 with a prefix. */
export function encodeCursor(seq: number): string {
  return `s${seq.toString(36)}`;
}

function decodeCursor(v: string): number {
  if (!/^s[0-9a-z]{1,12}$/.test(v))
    throw new TaxiiHttpError(400, 'Bad next', 'next is not a cursor this server issued');
  return parseInt(v.slice(1), 36);
}

/**
 * Parses TAXII 2.1 query parameters (spec 3.4): added_after, limit, next, match[id|type|version|spec_version].
 * Unknown match fields are an error rather than silently ignored.
 */
export function parseObjectQuery(
  q: Record<string, string>,
  opts: { defaultLimit: number; maxLimit: number; defaultVersions?: VersionFilter },
): ParsedQuery {
  const out: ParsedQuery = { limit: opts.defaultLimit, versions: opts.defaultVersions ?? 'last' };
  for (const [k, v] of Object.entries(q)) {
    switch (k) {
      case 'added_after':
        if (!TS_RE.test(v))
          throw new TaxiiHttpError(
            400,
            'Bad added_after',
            'added_after must be an RFC 3339 timestamp in UTC',
          );
        out.addedAfter = Date.parse(v);
        break;
      case 'limit': {
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1)
          throw new TaxiiHttpError(400, 'Bad limit', 'limit must be a positive integer');
        out.limit = Math.min(n, opts.maxLimit);
        break;
      }
      case 'next':
        out.afterSeq = decodeCursor(v);
        break;
      case 'match[id]':
        out.ids = list(v);
        break;
      case 'match[type]':
        out.types = list(v);
        break;
      case 'match[spec_version]':
        out.specVersions = list(v);
        break;
      case 'match[version]':
        out.versions = parseVersions(v);
        break;
      default:
        if (k.startsWith('match['))
          throw new TaxiiHttpError(400, 'Unsupported filter', `filter ${k} is not supported`);
    }
  }
  return out;
}

function parseVersions(v: string): VersionFilter {
  const items = list(v) ?? [];
  if (items.includes('all')) return 'all';
  const fixed = items.filter((s) => s !== 'last' && s !== 'first');
  if (fixed.length === 0) return items.includes('first') && !items.includes('last') ? 'first' : 'last';
  for (const s of fixed)
    if (!TS_RE.test(s)) throw new TaxiiHttpError(400, 'Bad match[version]', `not a version: ${s}`);
  // Combining keywords with explicit versions is rare; explicit versions win.
  return { versions: fixed };
}
