import { transformAnswerText, transformReasoningText } from '../src/provenance/index.js';
import type { TextTransformOptions, WatermarkKey } from '../src/provenance/index.js';
import { lastBoxed } from './provenance-data.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** `$…$`, `$$…$$` and `\[…\]` segments, in order. */
export const mathSegs = (s: string): string[] =>
  s.match(/\$\$[\s\S]*?\$\$|\$[^$]*\$|\\\[[\s\S]*?\\\]/g) ?? [];

function splitSolution(sol: string): { reasoning: string; answer: string } {
  const at = sol.lastIndexOf('\\boxed');
  const before = sol.slice(0, Math.max(at, 0));
  let cut = -1;
  for (const m of before.matchAll(/[.!?]\s+/g)) cut = (m.index ?? 0) + m[0].length;
  return cut < 0
    ? { reasoning: '', answer: sol }
    : { reasoning: sol.slice(0, cut).trimEnd(), answer: sol.slice(cut) };
}

function modes(qKey: WatermarkKey): { name: string; opts: TextTransformOptions }[] {
  return [
    { name: 'none (baseline)', opts: { reasoning: 'keep' } },
    {
      name: 'keep + perturbFormat + watermark',
      opts: { reasoning: 'keep', perturbFormat: true, watermark: qKey },
    },
    {
      name: 'keep, maxReasoningChars 300',
      opts: { reasoning: 'keep', maxReasoningChars: 300, perturbFormat: true, watermark: qKey },
    },
    { name: 'summarise (cap 600)', opts: { reasoning: 'summarise', perturbFormat: true, watermark: qKey } },
    {
      name: 'summarise, cap 200',
      opts: { reasoning: 'summarise', maxReasoningChars: 200, perturbFormat: true, watermark: qKey },
    },
    { name: 'strip', opts: { reasoning: 'strip', perturbFormat: true, watermark: qKey } },
  ];
}
const countSentences = (s: string): number => s.split(/[.!?]\s+/).filter((x) => x.trim() !== '').length;

/** Each degradation mode on maths solutions: does the final answer survive, how much reasoning is left? */
export function degradationTable(
  math: readonly string[],
  qKey: WatermarkKey,
): { md: string[]; degradation: Record<string, { answerCorrect: number; charsKept: number }> } {
  const md: string[] = [];
  md.push(
    '### Degradation: what the legitimate user keeps, what the harvester loses (maths solutions as reasoning + final answer)',
    '',
  );
  md.push(
    'Each solution is split at the sentence holding the last `\\boxed{}`: before it is "reasoning", from it on is the "answer". The reasoning goes through `transformReasoningText`, the answer through `transformAnswerText` (with the same options), and the delivered text is the two joined.',
    '',
  );
  md.push(
    '| mode | final answer correct | reasoning chars kept | reasoning math segments kept | reasoning sentences kept |',
    '|---|---:|---:|---:|---:|',
  );
  const degradation: Record<string, { answerCorrect: number; charsKept: number }> = {};
  for (const mode of modes(qKey)) {
    let correct = 0;
    let chars = 0;
    let charsOut = 0;
    let segs = 0;
    let segsOut = 0;
    let sents = 0;
    let sentsOut = 0;
    for (const sol of math) {
      const { reasoning, answer } = splitSolution(sol);
      const r = transformReasoningText(reasoning, mode.opts);
      const a = transformAnswerText(answer, mode.opts);
      const delivered = r === '' ? a : `${r}\n\n${a}`;
      if (lastBoxed(delivered) === lastBoxed(sol)) correct++;
      chars += reasoning.length;
      charsOut += r.length;
      segs += mathSegs(reasoning).length;
      segsOut += mathSegs(r).length;
      sents += countSentences(reasoning);
      sentsOut += countSentences(r);
    }
    degradation[mode.name] = { answerCorrect: correct / math.length, charsKept: charsOut / chars };
    md.push(
      `| ${mode.name} | ${pct(correct / math.length)} | ${pct(charsOut / chars)} | ${pct(segsOut / segs)} | ${pct(sentsOut / sents)} |`,
    );
  }
  return { md, degradation };
}

const structure = (texts: readonly string[]): { lists: number; bold: number; lines: number } => ({
  lists: texts.reduce(
    (n, t) => n + (t.match(/^[ \t]*(?:[-*+\u2022]|\d{1,3}[.)]|#{1,6}|Step \d+:)[ \t]/gm) ?? []).length,
    0,
  ),
  bold: texts.reduce((n, t) => n + (t.match(/\*\*/g) ?? []).length / 2, 0),
  lines: texts.reduce((n, t) => n + (t.match(/\n/g) ?? []).length, 0),
});

/** List/heading/bold/line-break structure before and after `perturbFormat`. */
export function structureLine(prose: readonly string[]): string {
  const sBefore = structure(prose);
  const sAfter = structure(
    prose.map((t) => transformAnswerText(t, { reasoning: 'keep', perturbFormat: true })),
  );
  return `Structure removed by \`perturbFormat\` on the prose pool: list-marker/heading/step lines ${sBefore.lists} → ${sAfter.lists}; bold spans ${sBefore.bold} → ${sAfter.bold}; line breaks ${sBefore.lines} → ${sAfter.lines} (paragraph breaks, tables, code and math are kept).`;
}
