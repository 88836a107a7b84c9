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

/** Character classes of the BMP, precomputed once: 0 separator, 1 word character, 2 digit, 3 CJK (own token). */
const SEP = 0;
const WORD = 1;
const DIGIT = 2;
const CJK = 3;
const CLASS = buildClassTable();

/**
 * Writing systems, for coverage across languages: 0 Latin/other, 1 Greek, 2 Cyrillic,
 * 3 Hebrew, 4 Arabic, 5 Devanagari and other Indic, 6 Thai, 7 Hangul, 8 Kana, 9 Han.
 */
export const SCRIPT_COUNT = 10;
const SCRIPT = buildScriptTable();

function buildScriptTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  const ranges: [number, number, number][] = [
    [0x0370, 0x03ff, 1],
    [0x0400, 0x052f, 2],
    [0x0590, 0x05ff, 3],
    [0x0600, 0x06ff, 4],
    [0x0750, 0x077f, 4],
    [0x0900, 0x0dff, 5],
    [0x0e00, 0x0e7f, 6],
    [0xac00, 0xd7af, 7],
    [0x1100, 0x11ff, 7],
    [0x3040, 0x30ff, 8],
    [0x3400, 0x4dbf, 9],
    [0x4e00, 0x9fff, 9],
  ];
  for (const [lo, hi, id] of ranges) t.fill(id, lo, hi + 1);
  return t;
}

let scriptsSeen = 0;

/**
 * Bit set of the writing systems in the text passed to the latest `tokenHashes` call (bit i
 * for script i; word characters only).
 */
export function lastScripts(): number {
  return scriptsSeen;
}

function buildClassTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) t[c] = classify(c);
  return t;
}

function classify(c: number): number {
  if (c < 0x80) {
    if (c >= 0x30 && c <= 0x39) return DIGIT;
    return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f ? WORD : SEP;
  }
  if (
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x3040 && c <= 0x30ff) || // hiragana, katakana
    (c >= 0xac00 && c <= 0xd7af) || // hangul syllables
    (c >= 0xf900 && c <= 0xfaff)
  ) {
    return CJK;
  }
  // General punctuation, CJK symbols, fullwidth ASCII punctuation and no-break space separate words.
  if ((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff20) || c === 0xa0) return SEP;
  if (c >= 0xd800 && c <= 0xdfff) return WORD; // surrogate halves: part of a (rare) astral-plane word
  return WORD;
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
  const cap = out.length;
  let scripts = 0;
  for (let i = 0; i < end && n < cap; i++) {
    const c = text.charCodeAt(i);
    const k = CLASS[c] ?? SEP;
    if (c >= 0x370) scripts |= 1 << (SCRIPT[c] ?? 0);
    if (k === WORD || k === DIGIT) {
      if (k === DIGIT) digit = true;
      h = Math.imul(h ^ (c >= 0x41 && c <= 0x5a ? c + 32 : c), FNV_PRIME);
      len++;
      continue;
    }
    if (len > 0) {
      out[n++] = mask && digit ? MASK_DIGIT_TOKEN : mask && len > LONG_TOKEN ? MASK_LONG_TOKEN : fmix32(h);
      h = FNV_OFFSET;
      len = 0;
      digit = false;
    }
    if (k === CJK && n < cap) out[n++] = fmix32(Math.imul(FNV_OFFSET ^ c, FNV_PRIME));
  }
  if (len > 0 && n < cap) out[n++] = mask && digit ? MASK_DIGIT_TOKEN : mask && len > LONG_TOKEN ? MASK_LONG_TOKEN : fmix32(h);
  scriptsSeen = scripts;
  return n;
}

/** Whether a token hash came from a CJK character (those are emitted one per character). */
export function isCjkChar(c: number): boolean {
  return CLASS[c] === CJK;
}

const one = new Uint32Array(4);
/** The token hash a single word gets from `tokenHashes` (for keyword sets). */
export function hashWord(word: string): number {
  return tokenHashes(word, one, false) > 0 ? (one[0] ?? 0) : 0;
}
