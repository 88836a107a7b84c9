import { fmix32 } from './hash.js';

/**
 * Allocation-free tokenizer: writes one 32-bit hash per token into a caller-owned buffer.
 * Words are runs of letters/digits (ASCII lower-cased); each CJK character is its own
 * token, since Chinese and Japanese text has no spaces. With `mask`, tokens holding a
 * digit hash as "#" and very long tokens as "*", so a fixed wrapper around varying
 * numbers or identifiers keeps the same token sequence.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Token hash of any token that contains a digit, when masking. */
export const MASK_DIGIT_TOKEN = fmix32(0x23);
/** Token hash of any token longer than LONG_TOKEN chars, when masking. */
export const MASK_LONG_TOKEN = fmix32(0x2a);
const LONG_TOKEN = 16;

function isCjk(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x3040 && c <= 0x30ff) || // hiragana, katakana
    (c >= 0xac00 && c <= 0xd7af) || // hangul syllables
    (c >= 0xf900 && c <= 0xfaff)
  );
}

function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  // General punctuation, CJK symbols and fullwidth ASCII punctuation separate words.
  if (c >= 0x2000 && c <= 0x206f) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false;
  return c !== 0xa0;
}

/**
 * Tokenizes `text[0..limit)` into `out`; returns the number of tokens written (≤ out.length).
 * @example const buf = new Uint32Array(256); const n = tokenHashes('Hello world', buf, true);
 */
export function tokenHashes(text: string, out: Uint32Array, mask: boolean, limit = text.length): number {
  const end = Math.min(limit, text.length);
  let n = 0;
  let h = FNV_OFFSET;
  let len = 0;
  let digit = false;
  for (let i = 0; i <= end && n < out.length; i++) {
    const c = i < end ? text.charCodeAt(i) : 0x20;
    if (i < end && isWordChar(c) && !isCjk(c)) {
      const lc = c >= 0x41 && c <= 0x5a ? c + 32 : c;
      if (c >= 0x30 && c <= 0x39) digit = true;
      h = Math.imul(h ^ lc, FNV_PRIME);
      len++;
      continue;
    }
    if (len > 0) {
      out[n++] = mask && digit ? MASK_DIGIT_TOKEN : mask && len > LONG_TOKEN ? MASK_LONG_TOKEN : fmix32(h);
      h = FNV_OFFSET;
      len = 0;
      digit = false;
    }
    if (i < end && isCjk(c) && n < out.length) out[n++] = fmix32(Math.imul(FNV_OFFSET ^ c, FNV_PRIME));
  }
  return n;
}
