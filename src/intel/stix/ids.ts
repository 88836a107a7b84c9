import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace (the RFC 8785 shape for the values we emit),
 * so that the same content always hashes to the same deterministic id.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/** RFC 4122 / 9562 name-based UUID, version 5 (SHA-1). */
export function uuidv5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The namespace the STIX 2.1 spec (section 2.9) fixes for deterministic SCO ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Our own namespace for SDO/SRO ids: uuidv5("stillwatch", STIX SCO namespace), fixed forever. */
export const STILLWATCH_NAMESPACE = uuidv5('stillwatch', STIX_SCO_NAMESPACE);

/**
 * Deterministic STIX id over canonical content: the same campaign exported twice, by the
 * same producer and key, gets the same id, so peers see new versions rather than duplicates.
 * @example stixId('campaign', { producer: 'identity--…', campaign: 'hmac…' })
 */
export function stixId(type: string, content: unknown, namespace = STILLWATCH_NAMESPACE): string {
  return `${type}--${uuidv5(canonicalJson(content), namespace)}`;
}

/** STIX timestamp with millisecond precision (the schemas require it for created/modified). */
export function stixTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) throw new TypeError(`not a timestamp: ${ms}`);
  return new Date(Math.round(ms)).toISOString();
}

/** Sortable epoch milliseconds from any RFC 3339 STIX timestamp (sub-ms digits are dropped). */
export function parseStixTimestamp(ts: string): number {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) throw new TypeError(`not a STIX timestamp: ${ts}`);
  return ms;
}
