import { createHash, createHmac } from 'node:crypto';
import { StillwatchError } from '../../domain/index.js';

/**
 * A secret the sharing community holds. Every identifier that leaves the system is an HMAC
 * under this key, so peers holding the key can match values they already see, and nobody
 * else (a leak of the bundle, an eavesdropper, a registry) learns any raw value.
 */
export interface CommunityKey {
  /** Public label travelling with every hash, so a peer knows which key to use. */
  readonly id: string;
  readonly secret: Buffer;
  /** True for the built-in key used when no community key is configured: never shared. */
  readonly local?: boolean;
}

/** Current key first; older keys are kept so indicators hashed before a rotation still match. */
export interface CommunityKeyRing {
  readonly current: CommunityKey;
  readonly previous: readonly CommunityKey[];
}

export const LOCAL_DEFAULT_KEY_ID = 'local-default-not-shared';
const KEY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MIN_SECRET_BYTES = 16;

/** The clearly-labelled key used when nothing is configured: its hashes are useless to peers. */
export function localDefaultKey(): CommunityKey {
  const secret = createHash('sha256')
    .update('stillwatch local default key: configure a community key to share')
    .digest();
  return { id: LOCAL_DEFAULT_KEY_ID, secret, local: true };
}

function decodeSecret(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-f]+$/i.test(t) && t.length % 2 === 0) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return Buffer.from(t, 'base64');
  return Buffer.from(t, 'utf8');
}

/**
 * Parses a key file or environment value: one key per line as `KEY_ID:SECRET` (hex, base64 or
 * text), current key first, older keys after it. Blank lines and `#` comments are ignored.
 * The error messages never include the secret.
 * @example parseCommunityKeyRing('ck-2026-11:9f1c…\nck-2026-10:77aa…')
 */
export function parseCommunityKeyRing(text: string): CommunityKeyRing {
  const keys: CommunityKey[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const sep = line.indexOf(':');
    if (sep <= 0)
      throw new StillwatchError('INVALID_CONFIG', `community key line ${i + 1}: expected KEY_ID:SECRET`);
    const id = line.slice(0, sep).trim();
    if (!KEY_ID_RE.test(id))
      throw new StillwatchError('INVALID_CONFIG', `community key line ${i + 1}: bad key id`);
    if (id === LOCAL_DEFAULT_KEY_ID) throw new StillwatchError('INVALID_CONFIG', `key id ${id} is reserved`);
    const secret = decodeSecret(line.slice(sep + 1));
    if (secret.length < MIN_SECRET_BYTES) {
      throw new StillwatchError(
        'INVALID_CONFIG',
        `community key ${id}: secret shorter than ${MIN_SECRET_BYTES} bytes`,
      );
    }
    if (keys.some((k) => k.id === id))
      throw new StillwatchError('INVALID_CONFIG', `community key ${id} listed twice`);
    keys.push({ id, secret });
  }
  const [current, ...previous] = keys;
  if (current === undefined) throw new StillwatchError('INVALID_CONFIG', 'community key: no key found');
  return { current, previous };
}

export function keyRingOf(key: CommunityKey): CommunityKeyRing {
  return { current: key, previous: [] };
}

/** Values of one kind are normalised before hashing so both providers hash the same text. */
export function normaliseValue(kind: string, value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'asn':
      return v.replace(/^AS/i, '');
    case 'user_agent':
      return v;
    default:
      return v.toLowerCase();
  }
}

/**
 * Keyed hash of one identifier: HMAC-SHA256 over a domain-separated `kind` and value,
 * truncated to 128 bits (collisions stay negligible; shorter is cheaper to share).
 * @example keyedHash(key, 'ip', '203.0.113.7') // '5d1c…' (32 hex chars)
 */
export function keyedHash(key: CommunityKey, kind: string, value: string): string {
  return createHmac('sha256', key.secret)
    .update(`stillwatch/v1\u0000${kind}\u0000${normaliseValue(kind, value)}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Keys one MinHash slot. A keyed permutation of slot values keeps "equal slots" equal, so the
 * Jaccard estimate survives, while an outsider cannot test guessed prompts against the sketch.
 */
export function keyedSlot(key: CommunityKey, slot: number): number {
  const h = createHmac('sha256', key.secret)
    .update(`stillwatch/v1\u0000minhash\u0000${slot >>> 0}`)
    .digest();
  return h.readUInt32BE(0);
}
