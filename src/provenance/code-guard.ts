import type { Run } from './runs.js';

// Strong signs of program text outside backticks: braces, comparison/arrow operators, a call `f(x)`, a statement
// ending `);` or `5;`, comment or preprocessor starts. Runs holding `$`, `\` or a backtick are math or inline code.
const CODE_RE =
  /[{}]|==|!=|&&|\|\||=>|->|::|\+=|-=|<\/|\/>|\w\(|\):$|[)\]'"\d];$|^(?:\/\/|\/\*|#include|#!)|^(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)$/;
const PROTECTED_RE = /[$\\`]/;
const INDENTED_LINE_RE = /\n(?: {4,}|\t)[ \t]*$/;
const PARAGRAPH_RE = /\n[ \t]*\n/;
const PROSE_START_RE = /^[A-Z][a-z]+,?$/;

/**
 * Keeps the watermark out of unfenced code. Once a run looks like code (or a line is indented like a code
 * block), nothing more is rewritten until a paragraph break followed by a capitalised word, which is how prose
 * resumes after a snippet. It looks only backwards, so it holds nothing back and embedding and detection agree.
 */
export class CodeGuard {
  private sticky = false;
  private afterBreak = false;

  get inCode(): boolean {
    return this.sticky;
  }

  observe(run: Run): void {
    if (run.ws) {
      if (INDENTED_LINE_RE.test(run.text)) this.sticky = true;
      else if (this.sticky && PARAGRAPH_RE.test(run.text)) this.afterBreak = true;
      return;
    }
    if (this.afterBreak) {
      this.afterBreak = false;
      if (run.plain && PROSE_START_RE.test(run.text)) this.sticky = false;
    }
    if (!this.sticky && run.plain && !run.piece && !PROTECTED_RE.test(run.text) && CODE_RE.test(run.text))
      this.sticky = true;
  }
}
