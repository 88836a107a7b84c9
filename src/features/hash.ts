/**
 * 32-bit hashing primitives. Everything here works on UTF-16 code units with `Math.imul`,
 * so it allocates nothing and gives the same value on every platform (determinism).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Murmur3's finaliser: spreads the bits of a weak hash (FNV's low bits are poor). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hash of a whole string, mixed, unsigned 32-bit.
 * @example hashString('acct-1') === hashString('acct-1') // stable across runs
 */
export function hashString(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return fmix32(h);
}

/** Combines two 32-bit hashes order-sensitively (for shingles and composite keys). */
export function combineHash(a: number, b: number): number {
  return fmix32((Math.imul(a ^ 0x9e3779b9, 0x01000193) + b) >>> 0);
}

/** A deterministic number in [0, 1) from a string: used to make sampling decisions reproducible. */
export function unitInterval(s: string, seed = 0x5bd1e995): number {
  return hashString(s, seed) / 4294967296;
}

/** Short fixed-width hex form of a 32-bit hash, for keys that leave the process. */
export function hex32(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
