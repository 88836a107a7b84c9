import { StillwatchError, type ErrorKind } from '../../domain/index.js';
import { TAXII_MEDIA_TYPE } from './config.js';

/** An HTTP-level refusal that has no domain meaning (406, 413, 415). */
export class TaxiiHttpError extends Error {
  override readonly name = 'TaxiiHttpError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 406 | 413 | 415 | 422,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Record<ErrorKind, number> = {
  input: 400,
  auth: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** The one place that maps errors to TAXII error resources (spec 3.6.1). */
export function errorResource(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof TaxiiHttpError) {
    return {
      status: err.status,
      body: { title: err.title, description: err.message, http_status: String(err.status) },
    };
  }
  if (err instanceof StillwatchError) {
    const status = STATUS_OF[err.kind];
    const message = status >= 500 ? 'internal error' : err.message;
    return { status, body: { title: err.code, description: message, http_status: String(status) } };
  }
  return { status: 500, body: { title: 'INTERNAL', description: 'internal error', http_status: '500' } };
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseMediaRanges(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0)
          params.set(
            p.slice(0, eq).trim().toLowerCase(),
            p
              .slice(eq + 1)
              .trim()
              .replace(/^"|"$/g, ''),
          );
      }
      const q = params.has('q') ? Number(params.get('q')) : 1;
      params.delete('q');
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.type !== '');
}

/** True when the media type `application/<sub>;version=2.1` satisfies the header (absent version means any). */
export function acceptsMediaType(header: string | undefined, sub: 'taxii+json' | 'stix+json'): boolean {
  if (header === undefined || header.trim() === '') return false;
  return parseMediaRanges(header).some((r) => {
    if (r.q <= 0 || r.type !== `application/${sub}`) return false;
    const v = r.params.get('version');
    return v === undefined || v === '2.1';
  });
}

/** Content-Type check for POST bodies: exactly TAXII 2.1 JSON. */
export function isTaxiiContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [r] = parseMediaRanges(header);
  return (
    r !== undefined && r.type === 'application/taxii+json' && (r.params.get('version') ?? '2.1') === '2.1'
  );
}

export const TAXII_HEADERS = { 'Content-Type': TAXII_MEDIA_TYPE };
