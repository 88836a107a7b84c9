import { CodeGuard } from './code-guard.js';
import { RunLexer } from './runs.js';
import type { Run } from './runs.js';
import { normaliseWord } from './lexicon.js';
import type { Lexicon, PhraseEntry, VariantSet } from './lexicon.js';

/** A watermark-eligible position: which set, which variant the text uses there, and the context that keys it. */
export interface Occurrence {
  set: VariantSet;
  observed: number;
  context: string;
}

/** Called at each eligible position; returns the variant index to write, or null to leave the text as it is. */
export type OnOccurrence = (occ: Occurrence) => number | null;

// A word run: optional opening punctuation, letters with inner apostrophes/hyphens, optional closing punctuation.
// `:` and `;` are not allowed after the word: `color:` is far more often CSS/YAML than prose.
const WORD_RE = /^([("'\u201c\u2018*_]*)([A-Za-z]+(?:['\u2019-][A-Za-z]+)*)([)"'\u201d\u2019.,!?*_]*)$/;
const SENTENCE_END_RE = /[.!?]["'\u201d\u2019)\]*_]*$/;
const CODE_PREV_RE = /[{}=<>|]/;
const QUOTE_RE = /["'\u201c\u201d\u2018\u2019]/;
// An all-capitals neighbour is usually SQL or a constant (`SELECT id, email FROM`), not prose.
const SHOUTING_RE = /^[("']*[A-Z]{2,}[A-Z_]*[)"',.;]*$/;
const CODE_NEXT_RE = /^(?:[={[<;:]|\.[A-Za-z(]|->)/;

interface Match {
  entry: PhraseEntry;
  runs: number;
  pre: string;
  suf: string;
  caps: 'lower' | 'cap';
  original: string;
}

function capsOf(core: string, sentenceStart: boolean): 'lower' | 'cap' | null {
  if (core === core.toLowerCase()) return 'lower';
  const rest = core.slice(1);
  if (sentenceStart && rest === rest.toLowerCase() && core[0] !== core[0]?.toLowerCase()) return 'cap';
  return null;
}

function codeishPrev(text: string): boolean {
  return !/[$\\]/.test(text) && CODE_PREV_RE.test(text);
}

/**
 * Walks a text stream run by run, finds the lexicon's variants in prose and lets a callback rewrite them.
 * Embedding and detection share this walker, so they agree on eligibility and context by construction.
 * Holds back at most 2 × (longest phrase) runs; each run is at most MAX_RUN characters.
 */
export class LexicalWalker {
  private readonly lexer = new RunLexer();
  private readonly queue: Run[] = [];
  private ctx = '';
  private sentenceStart = true;
  private prevText = '';
  private readonly guard = new CodeGuard();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly onOccurrence: OnOccurrence,
  ) {}

  push(delta: string): string {
    for (const r of this.lexer.push(delta)) this.queue.push(r);
    return this.drain(false);
  }

  flush(): string {
    for (const r of this.lexer.flush()) this.queue.push(r);
    return this.drain(true);
  }

  private drain(final: boolean): string {
    const look = 2 * this.lexicon.maxWords;
    let out = '';
    while (this.queue.length > 0 && (final || this.queue.length > look)) out += this.step();
    return out;
  }

  private step(): string {
    const head = this.queue[0];
    if (head === undefined) return '';
    if (head.ws) {
      this.queue.shift();
      this.guard.observe(head);
      if (head.text.includes('\n')) this.sentenceStart = true;
      return head.text;
    }
    const word = head.piece ? null : WORD_RE.exec(head.text);
    const core = word?.[2] === undefined ? null : normaliseWord(word[2]);
    const m = word === null || core === null ? null : this.match(head, word, core);
    if (m === null) {
      this.queue.shift();
      this.guard.observe(head);
      this.ctx = this.contextOf(head, core);
      this.prevText = head.text;
      this.sentenceStart = SENTENCE_END_RE.test(head.text);
      return head.text;
    }
    for (const r of this.queue.splice(0, m.runs)) this.guard.observe(r);
    const want = this.onOccurrence({ set: m.entry.set, observed: m.entry.index, context: this.ctx });
    const text = want === null || want === m.entry.index ? m.original : rewrite(m, want);
    this.ctx = `\u0001${m.entry.set.id}`;
    this.prevText = text;
    this.sentenceStart = SENTENCE_END_RE.test(m.suf);
    return text;
  }

  private contextOf(run: Run, core: string | null): string {
    if (core !== null) {
      const set = this.lexicon.setOfWord.get(core);
      return set ? `\u0001${set.id}` : core;
    }
    return run.text.slice(0, 32).toLowerCase();
  }

  private match(head: Run, hm: RegExpExecArray, lowerCore: string): Match | null {
    const entries = this.lexicon.byFirstWord.get(lowerCore);
    if (entries === undefined || !head.plain || this.guard.inCode) return null;
    const [, pre = '', core = '', suf = ''] = hm;
    // A word quoted on its own is mentioned, not used ("the keyword 'synchronized'"): rewriting it changes meaning.
    if (QUOTE_RE.test(pre) && QUOTE_RE.test(suf)) return null;
    const caps = capsOf(core, this.sentenceStart);
    if (caps === null || codeishPrev(this.prevText) || SHOUTING_RE.test(this.prevText)) return null;
    for (const entry of entries) {
      const tail = this.matchTail(entry, suf);
      if (tail === null) continue;
      const next = this.queue[2 * entry.words.length];
      if (next !== undefined && !next.ws && (CODE_NEXT_RE.test(next.text) || SHOUTING_RE.test(next.text)))
        return null;
      return { entry, runs: 2 * entry.words.length - 1, pre, suf: tail.suf, caps, original: tail.original };
    }
    return null;
  }

  /** The remaining words of a phrase, each separated by exactly one space and free of punctuation. */
  private matchTail(entry: PhraseEntry, headSuf: string): { suf: string; original: string } | null {
    const n = entry.words.length;
    if (n === 1) return { suf: headSuf, original: this.queue[0]?.text ?? '' };
    if (headSuf !== '') return null;
    let original = this.queue[0]?.text ?? '';
    let suf = '';
    for (let i = 1; i < n; i++) {
      const sp = this.queue[2 * i - 1];
      const w = this.queue[2 * i];
      if (sp?.text !== ' ' || !sp.plain || w === undefined || !w.plain || w.piece) return null;
      const wm = WORD_RE.exec(w.text);
      if (wm === null || wm[1] !== '' || wm[2] === undefined || wm[2] !== wm[2].toLowerCase()) return null;
      if (normaliseWord(wm[2]) !== entry.words[i]) return null;
      suf = wm[3] ?? '';
      if (i < n - 1 && suf !== '') return null;
      original += ` ${w.text}`;
    }
    return { suf, original };
  }
}

function rewrite(m: Match, index: number): string {
  let v = m.entry.set.variants[index] ?? m.entry.set.variants[0] ?? '';
  if (m.original.includes('\u2019')) v = v.replace(/'/g, '\u2019');
  if (m.caps === 'cap') v = v.charAt(0).toUpperCase() + v.slice(1);
  return `${m.pre}${v}${m.suf}`;
}
