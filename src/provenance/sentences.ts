import { ModeScanner } from './mode-scanner.js';

/** A sentence with the whitespace that preceded it; `para` when that whitespace holds a blank line. */
export interface Sentence {
  sep: string;
  text: string;
  para: boolean;
}

/** A sentence longer than this is cut, so a text without full stops is never buffered whole. */
export const MAX_SENTENCE = 2000;

const END_RE = /[.!?]["'\u201d\u2019)\]*_]*$/;
// "3." alone is a list marker, and "e.g." or "Dr." do not end a sentence.
const MARKER_ONLY_RE = /^\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})[.)]$/;
const NOT_END_RE =
  /(?:^|\s)(?:e\.g\.|i\.e\.|etc\.|vs\.|cf\.|approx\.|Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|St\.|No\.|Fig\.|Eq\.)$/;

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\u00a0';
}

/**
 * Streaming sentence splitter: a sentence ends at whitespace after `.`, `!` or `?` in prose (not inside math or
 * code), at a blank line, or at MAX_SENTENCE characters. Splits the same way however the input is chunked.
 */
export class SentenceSplitter {
  private readonly scanner = new ModeScanner();
  private sep = '';
  private cur = '';
  private trail = '';

  push(delta: string): Sentence[] {
    const out: Sentence[] = [];
    for (let i = 0; i < delta.length; i++) {
      const ch = delta.charAt(i);
      this.feed(ch, out);
      this.scanner.feed(ch);
    }
    return out;
  }

  /** The last sentence, and any trailing whitespace as a sentence with empty text. */
  flush(): Sentence[] {
    const out: Sentence[] = [];
    if (this.cur !== '') out.push(this.take(this.trail));
    else if (this.sep !== '') out.push({ sep: this.sep, text: '', para: paraOf(this.sep) });
    this.sep = '';
    this.trail = '';
    return out;
  }

  private feed(ch: string, out: Sentence[]): void {
    if (!isSpace(ch)) {
      this.cur += this.trail + ch;
      this.trail = '';
      if (this.cur.length >= MAX_SENTENCE) out.push(this.take(''));
      return;
    }
    if (this.cur === '') {
      this.sep += ch;
      return;
    }
    const prose = this.scanner.mode === 'text';
    if (this.trail === '' && prose && this.scanner.clean && endsSentence(this.cur)) {
      out.push(this.take(ch));
      return;
    }
    this.trail += ch;
    if (prose && ch === '\n' && /\n[ \t\r]*\n$/.test(this.trail)) out.push(this.take(this.trail));
  }

  private take(nextSep: string): Sentence {
    const s: Sentence = { sep: this.sep, text: this.cur, para: paraOf(this.sep) };
    this.sep = nextSep;
    this.cur = '';
    this.trail = '';
    return s;
  }
}

function endsSentence(text: string): boolean {
  return END_RE.test(text) && !NOT_END_RE.test(text) && !MARKER_ONLY_RE.test(text);
}

function paraOf(sep: string): boolean {
  return /\n[ \t\r]*\n/.test(sep);
}
