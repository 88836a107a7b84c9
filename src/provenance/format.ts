import { RunLexer } from './runs.js';
import type { Run } from './runs.js';
import type { StreamingTextTransform } from './types.js';

const LIST_MARKER_RE = /^(?:[-*+\u2022]|\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\)|#{1,6})$/;
const STEP_NUMBER_RE = /^\d{1,3}[:.)]$/;
const KEEP_LINE_BEFORE_RE = /^(?:\||#|`|\$\$|\\\[|>|<)/;
const PUNCT_END_RE = /[.!?:;,]["'\u201d\u2019)]*$/;

/**
 * Flattens document structure in prose: list markers, "Step N:" labels and heading hashes at line starts are
 * dropped, bold markers around words removed, and single line breaks joined (with "; " between list items).
 * Math, code spans, code fences and tables are left byte for byte, so formulas and `\boxed{}` answers survive.
 */
export class FormatStage implements StreamingTextTransform {
  private readonly lexer = new RunLexer();
  private readonly queue: Run[] = [];
  private lineStart = true;
  private dropSpace = false;
  private prevText = '';

  push(delta: string): string {
    for (const r of this.lexer.push(delta)) this.queue.push(r);
    return this.drain(false);
  }

  flush(): string {
    for (const r of this.lexer.flush()) this.queue.push(r);
    return this.drain(true);
  }

  private drain(final: boolean): string {
    let out = '';
    // Four runs of lookahead: "\n", "Step", " ", "2:" is the longest pattern decided at once.
    while (this.queue.length > 0 && (final || this.queue.length > 4)) out += this.step();
    return out;
  }

  private markerLength(at: number): number {
    const r = this.queue[at];
    if (r === undefined || r.ws || !r.plain || r.piece) return 0;
    if (LIST_MARKER_RE.test(r.text)) return 1;
    const sp = this.queue[at + 1];
    const num = this.queue[at + 2];
    if (/^step$/i.test(r.text) && sp?.text === ' ' && num !== undefined && STEP_NUMBER_RE.test(num.text))
      return 3;
    return 0;
  }

  private step(): string {
    const head = this.queue[0];
    if (head === undefined) return '';
    if (head.ws) return this.whitespace(head);
    if (this.lineStart) {
      const n = this.markerLength(0);
      if (n > 0) {
        this.queue.splice(0, n);
        this.lineStart = false;
        this.dropSpace = true;
        return '';
      }
    }
    this.queue.shift();
    this.lineStart = false;
    this.dropSpace = false;
    const text =
      head.plain && !head.piece && !/[$`\\]/.test(head.text)
        ? head.text.replace(/^\*\*|\*\*(?=[.,;:!?)]*$)/g, '')
        : head.text;
    this.prevText = text;
    return text;
  }

  private whitespace(head: Run): string {
    this.queue.shift();
    const newlines = (head.text.match(/\n/g) ?? []).length;
    if (newlines > 0) this.lineStart = true;
    if (this.dropSpace && newlines === 0) {
      this.dropSpace = false;
      return '';
    }
    this.dropSpace = false;
    if (newlines !== 1 || !head.plain || this.prevText === '') return head.text;
    const next = this.queue[0];
    if (next === undefined || KEEP_LINE_BEFORE_RE.test(next.text) || this.prevText.endsWith('|'))
      return head.text;
    if (this.markerLength(0) > 0 && !PUNCT_END_RE.test(this.prevText)) return '; ';
    return ' ';
  }
}
