/**
 * A small student language model for the distillation experiment: a word-level interpolated n-gram model
 * (orders 1..n) trained on teacher outputs and sampled with a seeded PRNG. Tokens are whitespace-separated runs,
 * so punctuation stays attached the way it was in the teacher's text.
 */
const BOS = '\u0002';
const EOS = '\u0003';

export class NgramStudent {
  private readonly tables: Map<string, string[]>[] = [];
  private readonly unigrams: string[] = [];
  tokens = 0;

  /** `lambdas[i]` is the weight of order i + 2 (bigram, trigram, ...); the rest goes to unigrams. */
  constructor(
    readonly order: number,
    private readonly lambdas: readonly number[],
  ) {
    for (let i = 2; i <= order; i++) this.tables.push(new Map());
  }

  train(texts: readonly string[]): void {
    for (const text of texts) {
      const toks = [
        ...Array<string>(this.order - 1).fill(BOS),
        ...text.split(/\s+/).filter((t) => t !== ''),
        EOS,
      ];
      for (let i = this.order - 1; i < toks.length; i++) {
        const next = toks[i]!;
        this.unigrams.push(next);
        this.tokens++;
        for (let n = 2; n <= this.order; n++) {
          const key = toks.slice(i - n + 1, i).join('\u0000');
          const table = this.tables[n - 2]!;
          const list = table.get(key);
          if (list === undefined) table.set(key, [next]);
          else list.push(next);
        }
      }
    }
  }

  /** Sample one text: pick an order by its weight (falling back to lower orders for unseen contexts), then a next token from that order's counts. */
  generate(rand: () => number, maxTokens: number): string {
    const out: string[] = [];
    const ctx: string[] = Array<string>(this.order - 1).fill(BOS);
    while (out.length < maxTokens) {
      const next = this.sample(ctx, rand);
      if (next === EOS) break;
      out.push(next);
      ctx.push(next);
      ctx.shift();
    }
    return out.join(' ');
  }

  private sample(ctx: readonly string[], rand: () => number): string {
    let r = rand();
    for (let n = this.order; n >= 2; n--) {
      const w = this.lambdas[n - 2] ?? 0;
      if (r < w) {
        const list = this.tables[n - 2]!.get(ctx.slice(ctx.length - n + 1).join('\u0000'));
        if (list !== undefined) return list[Math.floor(rand() * list.length)]!;
        // Unseen context: fall through to the next lower order.
        r = 0;
        continue;
      }
      r -= w;
    }
    return this.unigrams[Math.floor(rand() * this.unigrams.length)] ?? EOS;
  }

  /** Share of the sample's k-grams that occur verbatim in the training texts (how much the student copies). */
  static copiedShare(samples: readonly string[], training: readonly string[], k: number): number {
    const seen = new Set<string>();
    for (const t of training) {
      const toks = t.split(/\s+/).filter((x) => x !== '');
      for (let i = 0; i + k <= toks.length; i++) seen.add(toks.slice(i, i + k).join(' '));
    }
    let total = 0;
    let copied = 0;
    for (const s of samples) {
      const toks = s.split(' ');
      for (let i = 0; i + k <= toks.length; i++) {
        total++;
        if (seen.has(toks.slice(i, i + k).join(' '))) copied++;
      }
    }
    return total === 0 ? 0 : copied / total;
  }
}
