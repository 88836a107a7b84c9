import { SentenceSplitter } from './sentences.js';
import type { Sentence } from './sentences.js';
import type { StreamingTextTransform } from './types.js';

/** Summaries are capped at this many characters unless `maxReasoningChars` says otherwise. */
export const DEFAULT_SUMMARY_CHARS = 600;

/** Removes reasoning entirely. */
export class StripStage implements StreamingTextTransform {
  push(): string {
    return '';
  }
  flush(): string {
    return '';
  }
}

/**
 * Keeps whole sentences while they fit under `cap` characters (original spacing kept), then drops the rest.
 * If even the first sentence does not fit, it is cut at the last word boundary under the cap.
 */
export class TruncateStage implements StreamingTextTransform {
  private readonly splitter = new SentenceSplitter();
  private emitted = 0;
  private done = false;

  constructor(private readonly cap: number) {}

  push(delta: string): string {
    return this.take(this.splitter.push(delta));
  }
  flush(): string {
    return this.take(this.splitter.flush());
  }

  private take(sentences: Sentence[]): string {
    let out = '';
    for (const s of sentences) {
      if (this.done || s.text === '') continue;
      const sep = this.emitted === 0 ? '' : s.sep;
      if (this.emitted + sep.length + s.text.length <= this.cap) {
        out += sep + s.text;
        this.emitted += sep.length + s.text.length;
        continue;
      }
      if (this.emitted === 0) out += cutAtWord(s.text, this.cap);
      this.done = true;
    }
    return out;
  }
}

function cutAtWord(text: string, cap: number): string {
  const head = text.slice(0, cap + 1);
  const i = head.search(/\s\S*$/);
  return (i > 0 ? head.slice(0, i) : text.slice(0, cap)).trimEnd();
}

/**
 * Extractive summary: the opening sentence of every paragraph plus the closing sentence of the text, joined
 * without the original line structure, capped at `cap` characters (whole sentences). It keeps what a reader needs
 * to follow the conclusion and drops the worked steps a harvester would train on.
 */
export class SummariseStage implements StreamingTextTransform {
  private readonly splitter = new SentenceSplitter();
  private readonly cap: TruncateStage;
  private held: Sentence | null = null;
  private started = false;
  private paragraphOpen = false;

  constructor(cap: number) {
    this.cap = new TruncateStage(cap);
  }

  push(delta: string): string {
    return this.cap.push(this.select(this.splitter.push(delta)));
  }
  flush(): string {
    let text = this.select(this.splitter.flush());
    if (this.held !== null) text += this.render(this.held);
    this.held = null;
    return this.cap.push(text) + this.cap.flush();
  }

  private select(sentences: Sentence[]): string {
    let out = '';
    for (const s of sentences) {
      if (s.text === '') continue;
      const opensParagraph = !this.paragraphOpen || s.para;
      this.paragraphOpen = true;
      if (opensParagraph) {
        this.held = null;
        out += this.render(s);
      } else {
        this.held = s;
      }
    }
    return out;
  }

  private render(s: Sentence): string {
    const sep = !this.started ? '' : s.para ? '\n\n' : ' ';
    this.started = true;
    return sep + s.text;
  }
}
