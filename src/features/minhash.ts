import { combineHash, fmix32, hex32 } from './hash.js';
import { tokenHashes } from './tokenize.js';

/**
 * MinHash by one-permutation hashing (OPH): each 3-token shingle is hashed once; the top
 * 6 bits pick one of 64 bins and the low 26 bits compete for that bin's minimum. Empty
 * bins are filled by rotation densification (borrow the next non-empty bin, offset by the
 * distance so borrowed values never equal real ones). About 8× cheaper than 64 independent
 * permutations with the same collision probability (Shrivastava & Li 2014).
 */

export const MINHASH_SIZE = 64;
const BIN_SHIFT = 26;
const VALUE_MASK = (1 << BIN_SHIFT) - 1;
const EMPTY = 0xffffffff;
/** Tokens kept at each end of a prompt for its template signature (the wrapper). */
export const TEMPLATE_WINDOW = 24;
/** LSH banding: 16 bands × 4 rows. P(candidate) ≈ 0.99 at similarity 0.7, ≈ 0.12 at 0.3. */
export const LSH_BANDS = 16;
const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;
/** Prompts are scanned up to this many characters: the wrapper sits at the ends anyway. */
const MAX_CHARS = 6000;

const scratch = new Uint32Array(2048);

function addShingles(tokens: Uint32Array, from: number, to: number, sig: Uint32Array): void {
  const len = to - from;
  if (len <= 0) return;
  if (len < 3) {
    let h = tokens[from] ?? 0;
    if (len === 2) h = combineHash(h, tokens[from + 1] ?? 0);
    insert(fmix32(h ^ 0x51ed27), sig);
    return;
  }
  for (let i = from; i + 2 < to; i++) {
    const s = combineHash(combineHash(tokens[i] ?? 0, tokens[i + 1] ?? 0), tokens[i + 2] ?? 0);
    insert(s, sig);
  }
}

function insert(s: number, sig: Uint32Array): void {
  const bin = s >>> BIN_SHIFT;
  const v = s & VALUE_MASK;
  if (v < (sig[bin] ?? EMPTY)) sig[bin] = v;
}

function densify(sig: Uint32Array): void {
  let any = -1;
  for (let i = 0; i < MINHASH_SIZE; i++) if (sig[i] !== EMPTY) any = i;
  if (any < 0) return;
  for (let i = 0; i < MINHASH_SIZE; i++) {
    if (sig[i] !== EMPTY) continue;
    for (let d = 1; d < MINHASH_SIZE; d++) {
      const v = sig[(i + d) % MINHASH_SIZE] ?? EMPTY;
      if (v !== EMPTY && v <= VALUE_MASK) {
        sig[i] = (v + d * (VALUE_MASK + 1)) >>> 0;
        break;
      }
    }
  }
}

/**
 * Signature of an already tokenized text (`tokens[0..n)`); with `window` > 0 only the first
 * and last `window` tokens are shingled (never across the junction).
 */
export function signatureOfTokens(
  tokens: Uint32Array,
  n: number,
  window: number,
  out: Uint32Array = new Uint32Array(MINHASH_SIZE),
): Uint32Array {
  const sig = out.fill(EMPTY);
  if (window > 0 && n > 2 * window) {
    addShingles(tokens, 0, window, sig);
    addShingles(tokens, n - window, n, sig);
  } else {
    addShingles(tokens, 0, n, sig);
  }
  densify(sig);
  return sig;
}

function signature(text: string, mask: boolean, window: number): Uint32Array {
  const n = tokenHashes(text, scratch, mask, MAX_CHARS);
  return signatureOfTokens(scratch, n, window);
}

/**
 * MinHash signature (64 × uint32) of a text's word 3-shingles, for near-duplicate tests.
 * @example minhashSimilarity(minhash('a b c d e'), minhash('a b c d f')) // ≈ 0.67
 */
export function minhash(text: string): Uint32Array {
  return signature(text, false, 0);
}

/**
 * Signature of a prompt's template: digits and long tokens masked, and only the first and
 * last TEMPLATE_WINDOW tokens shingled, so a fixed wrapper around a varying payload gets
 * (nearly) the same signature whatever the payload.
 */
export function templateMinhash(text: string): Uint32Array {
  return signature(text, true, TEMPLATE_WINDOW);
}

/** Estimated Jaccard similarity of two signatures: the share of equal bins (0 if either is empty). */
export function minhashSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0 || a[0] === EMPTY || b[0] === EMPTY) return 0;
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) eq++;
  return eq / n;
}

/**
 * LSH band keys "b<band>:<hash>" of a signature; two signatures that share any key are
 * candidate near-duplicates. Empty signatures have no keys.
 */
export function lshBandKeys(sig: ArrayLike<number>): string[] {
  if (sig.length < MINHASH_SIZE || sig[0] === EMPTY) return [];
  const keys: string[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = 0x9747b28c ^ b;
    for (let r = 0; r < LSH_ROWS; r++) h = combineHash(h, sig[b * LSH_ROWS + r] ?? 0);
    keys.push(`b${b}:${hex32(h)}`);
  }
  return keys;
}
