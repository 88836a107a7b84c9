/**
 * Tracks whether the text being streamed is prose or a protected region (LaTeX math, inline code, code fences).
 * It is a character-at-a-time automaton, so feeding a text in any split gives the same states.
 * Protected regions are never rewritten: that is what keeps `\boxed{}` answers, formulas and code intact.
 */
export type TextMode =
  'text' | 'inline-math' | 'display-math' | 'paren-math' | 'bracket-math' | 'env' | 'code' | 'fence';

const SPECIAL = new Set(['\\', '$', '`', '{', '}', '\n']);
const BEGIN = '\\begin{';
const END = '\\end{';

/** Next state of a matcher for `pattern`, whose only repeated-prefix character is the leading backslash. */
function advance(pattern: string, at: number, ch: string): number {
  if (at < pattern.length && pattern[at] === ch) return at + 1;
  return ch === '\\' ? 1 : 0;
}

export class ModeScanner {
  mode: TextMode = 'text';
  private dollar = false;
  private escape = false;
  private ticks = 0;
  private codeTicks = 0;
  private newline = false;
  // Progress through "\\begin{" and "\\end{" (a two-pattern matcher; cheaper than keeping a window of text).
  private beginAt = 0;
  private endAt = 0;
  private envDepth = 0;
  private envClosing = false;

  /** Prose with nothing pending: the only state in which a word may be rewritten. */
  get clean(): boolean {
    return this.mode === 'text' && !this.dollar && !this.escape && this.ticks === 0;
  }

  feed(ch: string): void {
    // Fast path for the common case: an ordinary character with nothing pending.
    if (
      this.beginAt === 0 &&
      this.endAt === 0 &&
      this.ticks === 0 &&
      !this.dollar &&
      !this.escape &&
      !SPECIAL.has(ch)
    ) {
      if (ch !== ' ' && ch !== '\t' && ch !== '\r') this.newline = false;
      return;
    }
    this.beginAt = advance(BEGIN, this.beginAt, ch);
    this.endAt = advance(END, this.endAt, ch);
    if ((ch === '{' || ch === '}') && this.environment(ch)) return;
    if (this.ticks > 0 && ch !== '`') this.resolveTicks();
    if (this.dollar) {
      this.dollar = false;
      if (ch === '$') {
        this.resolveDollars(2);
        return;
      }
      this.resolveDollars(1);
    }
    if (this.escape) {
      this.escape = false;
      this.resolveEscape(ch);
      return;
    }
    if (ch === '\\' && this.mode !== 'code' && this.mode !== 'fence') {
      this.escape = true;
      return;
    }
    if (ch === '`' && (this.mode === 'text' || this.mode === 'code' || this.mode === 'fence')) {
      this.ticks++;
      return;
    }
    if (ch === '$' && (this.mode === 'text' || this.mode === 'inline-math' || this.mode === 'display-math')) {
      this.dollar = true;
      return;
    }
    this.trackNewline(ch);
  }

  /** LaTeX environments written outside `$…$` (`\begin{align*}…\end{align*}`), nested ones counted. */
  private environment(ch: string): boolean {
    if (ch === '{' && this.beginAt === BEGIN.length) {
      if (this.mode === 'text' && this.clean) {
        this.mode = 'env';
        this.envDepth = 1;
        return true;
      }
      if (this.mode === 'env') this.envDepth++;
      return this.mode === 'env';
    }
    if (this.mode !== 'env') return false;
    if (ch === '{' && this.endAt === END.length && --this.envDepth === 0) this.envClosing = true;
    else if (ch === '}' && this.envClosing) {
      this.envClosing = false;
      this.mode = 'text';
    }
    return true;
  }

  private trackNewline(ch: string): void {
    if (ch === '\n') {
      // A blank line ends inline math and inline code: an unmatched `$5` or stray backtick cannot protect a whole reply.
      if (this.newline && (this.mode === 'inline-math' || this.mode === 'code')) this.mode = 'text';
      this.newline = true;
    } else if (ch !== ' ' && ch !== '\t' && ch !== '\r') {
      this.newline = false;
    }
  }

  private resolveTicks(): void {
    const n = this.ticks;
    this.ticks = 0;
    if (this.mode === 'text') {
      if (n >= 3) this.mode = 'fence';
      else {
        this.mode = 'code';
        this.codeTicks = n;
      }
    } else if (this.mode === 'code' && n === this.codeTicks) this.mode = 'text';
    else if (this.mode === 'fence' && n >= 3) this.mode = 'text';
  }

  private resolveDollars(n: 1 | 2): void {
    if (this.mode === 'text') this.mode = n === 2 ? 'display-math' : 'inline-math';
    else if (this.mode === 'inline-math') this.mode = 'text';
    else if (this.mode === 'display-math' && n === 2) this.mode = 'text';
  }

  private resolveEscape(ch: string): void {
    if (this.mode === 'text' && ch === '(') this.mode = 'paren-math';
    else if (this.mode === 'text' && ch === '[') this.mode = 'bracket-math';
    else if (this.mode === 'paren-math' && ch === ')') this.mode = 'text';
    else if (this.mode === 'bracket-math' && ch === ']') this.mode = 'text';
  }
}
