import { ModeScanner } from './mode-scanner.js';

/**
 * A maximal run of whitespace or of non-whitespace characters. `plain` means the run starts in prose with
 * nothing pending (not inside math or code); `piece` means it is a slice of a run longer than MAX_RUN.
 */
export interface Run {
  text: string;
  ws: boolean;
  plain: boolean;
  piece: boolean;
}

/** Longer runs are cut so a stream without whitespace (base64, minified code) is never buffered whole. */
export const MAX_RUN = 256;

function isSpace(ch: string): boolean {
  return (
    ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u00a0'
  );
}

/** Splits a stream into runs. The runs of a text are the same however it is split into deltas. */
export class RunLexer {
  private readonly scanner = new ModeScanner();
  private cur = '';
  private curWs = false;
  private curPlain = false;
  private curPiece = false;

  push(delta: string): Run[] {
    const out: Run[] = [];
    // The current run's text inside this delta starts at `from`; it is sliced once instead of appended per char.
    // UTF-16 units, not code points, so a surrogate pair split across two deltas lexes exactly as when whole.
    let from = 0;
    for (let i = 0; i < delta.length; i++) {
      const ch = delta.charAt(i);
      const ws = isSpace(ch);
      const len = this.cur.length + (i - from);
      if (len > 0 && (ws !== this.curWs || len >= MAX_RUN)) {
        const piece = ws === this.curWs;
        this.cur += delta.slice(from, i);
        from = i;
        out.push(this.take());
        this.curPiece = piece;
      }
      if (this.cur === '' && i === from) {
        this.curWs = ws;
        this.curPlain = this.scanner.clean;
      }
      this.scanner.feed(ch);
    }
    this.cur += delta.slice(from);
    return out;
  }

  flush(): Run[] {
    return this.cur === '' ? [] : [this.take()];
  }

  private take(): Run {
    const run: Run = { text: this.cur, ws: this.curWs, plain: this.curPlain, piece: this.curPiece };
    this.cur = '';
    this.curPiece = false;
    return run;
  }
}

/** All runs of a whole text. */
export function lexRuns(text: string): Run[] {
  const lexer = new RunLexer();
  return [...lexer.push(text), ...lexer.flush()];
}
