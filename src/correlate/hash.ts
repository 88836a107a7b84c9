/**
 * FNV-1a with Murmur3's finaliser: a stable unsigned 32-bit hash of a string. Used for
 * order-independent samples (bottom-k by hash) and for campaign ids, so that results do not
 * depend on the order in which accounts arrive.
 *
 * @example
 * hash32('acct-1') === hash32('acct-1'); // true, on every platform
 */
export function hash32(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Short hex digest of a string (two seeds, 16 hex chars), for ids and redacted values. */
export function digest(s: string): string {
  return hash32(s, 0x9e3779b9).toString(16).padStart(8, '0') + hash32(s, 0x7f4a7c15).toString(16).padStart(8, '0');
}
