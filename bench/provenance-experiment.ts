/**
 * Provenance experiment: degradation trade-off, watermark false-positive rate, power, robustness, quality cost and
 * distillation into a student trained in TypeScript. Every figure in docs/PROVENANCE.md between the result markers
 * is written by this script. Run: npm run experiment:provenance   (seeds are fixed; about 1–3 minutes on one core)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createStreamingTextTransform,
  transformAnswerText,
  transformReasoningText,
} from '../src/provenance/index.js';
import type { TextTransformOptions } from '../src/provenance/index.js';
import { lastBoxed, mathSolutions, proseResponses, rng, shuffle } from './provenance-data.js';
import {
  benchKey,
  dropWords,
  fmtP,
  fprExperiment,
  median,
  powerExperiment,
  qualityCost,
  resubstitute,
  scanOccurrences,
  testScanned,
  watermark,
} from './provenance-measure.js';
import type { FprRow, PowerRow, QualityRow } from './provenance-measure.js';
import { NgramStudent } from './provenance-student.js';

const SEED = 20261122;
const DOC = 'docs/PROVENANCE.md';
const t0 = Date.now();
const lap = (what: string): void => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const md: string[] = [];

const { gpteacher, oasst } = proseResponses();
const prose = [...gpteacher, ...oasst];
const math = mathSolutions();
md.push(
  `Inputs: ${gpteacher.length} GPTeacher role-play responses and ${oasst.length} OpenAssistant assistant turns ("prose"), ${math.length} MATH test-set solutions ("math"). Seed ${SEED}. Node ${process.version}, one core.`,
  '',
);
lap('corpora loaded');

// ---- Quality cost and integrity -------------------------------------------------------------------------------
const qKey = benchKey('quality', 0);
const quality: QualityRow[] = [qualityCost('prose', prose, qKey), qualityCost('math', math, qKey)];
const mathSegs = (s: string): string[] => s.match(/\$\$[\s\S]*?\$\$|\$[^$]*\$|\\\[[\s\S]*?\\\]/g) ?? [];
let boxedKept = 0;
let segsKept = 0;
for (const sol of math) {
  const out = transformAnswerText(sol, { reasoning: 'keep', watermark: qKey, perturbFormat: true });
  if (lastBoxed(out) === lastBoxed(sol)) boxedKept++;
  if (JSON.stringify(mathSegs(out)) === JSON.stringify(mathSegs(sol))) segsKept++;
}
md.push(
  '### Quality cost of the watermark',
  '',
  '| pool | texts | words | eligible positions | per 100 words | positions rewritten | share of words changed | texts changed |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
);
for (const q of quality) {
  md.push(
    `| ${q.pool} | ${q.texts} | ${q.words} | ${q.eligible} | ${((100 * q.eligible) / q.words).toFixed(2)} | ${q.changed} | ${pct(q.changed / q.words)} | ${pct(q.textsChanged / q.texts)} |`,
  );
}
md.push(
  '',
  `Maths integrity with watermark **and** format perturbation on all ${math.length} solutions: final \`\\boxed{}\` answer identical in ${boxedKept}/${math.length}; every math segment (\`$…$\`, \`$$…$$\`, \`\\[…\\]\`) byte-identical in ${segsKept}/${math.length}.`,
  '',
);
lap('quality');

// ---- Degradation: legitimate user vs harvester on maths solutions --------------------------------------------------
function splitSolution(sol: string): { reasoning: string; answer: string } {
  const at = sol.lastIndexOf('\\boxed');
  const before = sol.slice(0, Math.max(at, 0));
  let cut = -1;
  for (const m of before.matchAll(/[.!?]\s+/g)) cut = (m.index ?? 0) + m[0].length;
  return cut < 0
    ? { reasoning: '', answer: sol }
    : { reasoning: sol.slice(0, cut).trimEnd(), answer: sol.slice(cut) };
}
const MODES: { name: string; opts: TextTransformOptions }[] = [
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
const countSentences = (s: string): number => s.split(/[.!?]\s+/).filter((x) => x.trim() !== '').length;
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
for (const mode of MODES) {
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
const structure = (texts: readonly string[]): { lists: number; bold: number; lines: number } => ({
  lists: texts.reduce(
    (n, t) => n + (t.match(/^[ \t]*(?:[-*+\u2022]|\d{1,3}[.)]|#{1,6}|Step \d+:)[ \t]/gm) ?? []).length,
    0,
  ),
  bold: texts.reduce((n, t) => n + (t.match(/\*\*/g) ?? []).length / 2, 0),
  lines: texts.reduce((n, t) => n + (t.match(/\n/g) ?? []).length, 0),
});
const sBefore = structure(prose);
const sAfter = structure(
  prose.map((t) => transformAnswerText(t, { reasoning: 'keep', perturbFormat: true })),
);
md.push(
  '',
  `Structure removed by \`perturbFormat\` on the prose pool: list-marker/heading/step lines ${sBefore.lists} → ${sAfter.lists}; bold spans ${sBefore.bold} → ${sAfter.bold}; line breaks ${sBefore.lines} → ${sAfter.lines} (paragraph breaks, tables, code and math are kept).`,
  '',
);
lap('degradation');

// ---- False-positive rate on clean text ------------------------------------------------------------------------------
const rand = rng(SEED);
const proseScanned = prose.map((t) => scanOccurrences(t));
const mathScanned = math.map((t) => scanOccurrences(t));
const fpr: FprRow[] = [
  fprExperiment('prose', proseScanned, 2000, 20, rand),
  fprExperiment('prose', proseScanned, 1000, 200, rand),
  fprExperiment('math', mathScanned, 1000, 100, rand),
];
md.push('### False-positive rate on clean text (a fresh random key per test)', '');
md.push(
  '| pool | tests (keys) | samples per test | mean trials | KS distance to U(0,1) | P(p ≤ 0.05) | P(p ≤ 0.01) | P(p ≤ 0.001) | P(p < 1e-6) | p-value histogram, 10 bins |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
);
for (const f of fpr) {
  md.push(
    `| ${f.pool} | ${f.keys} | ${f.batch} | ${f.meanTrials.toFixed(1)} | ${f.ks.toFixed(3)} | ${f.rate05.toFixed(3)} | ${f.rate01.toFixed(3)} | ${f.rate001.toFixed(4)} | ${f.rateAlpha} | ${f.histogram.join(' ')} |`,
  );
}
md.push(
  '',
  'The p-values are discrete (a test has tens to hundreds of trials), so the KS distance carries a discreteness floor; what matters for the false-positive rate is that P(p ≤ a) stays at or under a.',
  '',
);
lap('fpr');

// ---- Power against the number of samples ------------------------------------------------------------------------------
const NS = [1, 2, 5, 10, 20, 50, 100];
const powerPools = (pool: string, texts: readonly string[], keys: number, size: number) =>
  Array.from({ length: keys }, (_, k) => {
    const key = benchKey(`power-${pool}`, k);
    return {
      key,
      scanned: watermark(shuffle(texts, rand).slice(0, size), key).map((t) => scanOccurrences(t)),
    };
  });
const proseMarked = powerPools('prose', prose, 8, 400);
const power: PowerRow[] = [
  ...powerExperiment('prose', proseMarked, NS, 30, rand),
  ...powerExperiment('math', powerPools('math', math, 8, 400), NS, 30, rand),
];
md.push(
  '### Detection power against the number of watermarked samples (alpha = 1e-6)',
  '',
  '| pool | samples N | tests | detected | median p-value | median trials |',
  '|---|---:|---:|---:|---:|---:|',
);
for (const p of power)
  md.push(
    `| ${p.pool} | ${p.n} | ${p.tests} | ${pct(p.detected / p.tests)} | ${fmtP(p.medianP)} | ${p.medianTrials} |`,
  );
md.push('');
lap('power');

// ---- Robustness to light paraphrase ----------------------------------------------------------------------------------
const ATTACKS: { name: string; apply: (t: string, r: number) => string }[] = [
  { name: 're-substitute', apply: (t, r) => resubstitute(t, r, rand) },
  { name: 'drop words', apply: (t, r) => dropWords(t, r, rand) },
  { name: 'both', apply: (t, r) => dropWords(resubstitute(t, r, rand), r, rand) },
];
const robustKeys = Array.from({ length: 4 }, (_, k) => benchKey('robust', k));
const robustTexts = robustKeys.map((key) => ({
  key,
  texts: watermark(shuffle(prose, rand).slice(0, 300), key),
}));
md.push('### Robustness to light paraphrase (prose, alpha = 1e-6)', '');
md.push(
  '"re-substitute" re-draws each eligible position uniformly from its set with probability r (an attacker who knows the table); "drop words" deletes each word with probability r (breaking contexts).',
  '',
);
md.push(
  '| attack | r | N = 20: detected | N = 20: median p | N = 50: detected | N = 50: median p |',
  '|---|---:|---:|---:|---:|---:|',
);
const robustness: Record<string, number> = {};
for (const attack of [{ name: 'none', apply: (t: string) => t }, ...ATTACKS]) {
  for (const r of attack.name === 'none' ? [0] : [0.1, 0.2, 0.3]) {
    const perKey = robustTexts.map(({ key, texts }) => ({
      key,
      scanned: texts.map((t) => scanOccurrences(attack.apply(t, r))),
    }));
    const [p20, p50] = powerExperiment('prose', perKey, [20, 50], 25, rand);
    robustness[`${attack.name}@${r}:n50`] = p50!.detected / p50!.tests;
    md.push(
      `| ${attack.name} | ${r} | ${pct(p20!.detected / p20!.tests)} | ${fmtP(p20!.medianP)} | ${pct(p50!.detected / p50!.tests)} | ${fmtP(p50!.medianP)} |`,
    );
  }
}
md.push('');
lap('robustness');

// ---- Distillation into a student ----------------------------------------------------------------------------------------
const dKey = benchKey('distill', 0);
const order = shuffle(prose, rng(SEED + 1));
const train = order.slice(0, Math.floor(order.length * 0.9));
const trainMarked = watermark(train, dKey);
md.push('### Distillation: students trained on watermarked vs clean teacher outputs', '');
md.push(
  `Teacher outputs: ${train.length} prose responses (90% split). Student A is trained on the watermarked outputs, student B on the same outputs clean. Each student samples 400 texts of at most 120 tokens (seeded). The detector only sees the students' generations.`,
  '',
);
md.push(
  '| student | trained on | N tested | trials | hits | z | p-value | verdict (alpha 1e-6) | 8-grams copied from training |',
  '|---|---|---:|---:|---:|---:|---:|---|---:|',
);
const distill: Record<string, number> = {};
const STUDENTS = [
  { name: 'trigram (λ = 0.6/0.3/0.1)', make: () => new NgramStudent(3, [0.3, 0.6]) },
  { name: 'bigram (λ = 0.9/0.1)', make: () => new NgramStudent(2, [0.9]) },
];
const nullKeysMinP: Record<string, number> = {};
for (const s of STUDENTS) {
  for (const [label, data] of [
    ['A: watermarked', trainMarked],
    ['B: clean', train],
  ] as const) {
    const student = s.make();
    student.train(data);
    const g = rng(SEED + 2);
    const samples = Array.from({ length: 400 }, () => student.generate(g, 120));
    const scanned = samples.map((t) => scanOccurrences(t));
    const copied = NgramStudent.copiedShare(samples, data, 8);
    for (const n of [25, 100, 400]) {
      const r = testScanned(scanned.slice(0, n), dKey);
      distill[`${s.name}|${label}|${n}`] = r.pValue;
      md.push(
        `| ${s.name} | ${label} | ${n} | ${r.trials} | ${r.hits} | ${r.z.toFixed(2)} | ${fmtP(r.pValue)} | ${r.detected ? 'detected' : 'not detected'} | ${n === 400 ? pct(copied) : ''} |`,
      );
    }
    const others = Array.from({ length: 200 }, (_, k) => testScanned(scanned, benchKey('wrong', k)).pValue);
    nullKeysMinP[`${s.name}|${label}`] = Math.min(...others);
    nullKeysMinP[`${s.name}|${label}|rate05`] = others.filter((p) => p <= 0.05).length / others.length;
  }
}
md.push(
  '',
  "Control: the same 400 generations tested against 200 other random keys (not the teacher's):",
  '',
  '| student | trained on | smallest p over 200 wrong keys | share of wrong keys with p ≤ 0.05 |',
  '|---|---|---:|---:|',
);
for (const s of STUDENTS)
  for (const label of ['A: watermarked', 'B: clean'])
    md.push(
      `| ${s.name} | ${label} | ${fmtP(nullKeysMinP[`${s.name}|${label}`] ?? NaN)} | ${(nullKeysMinP[`${s.name}|${label}|rate05`] ?? NaN).toFixed(3)} |`,
    );
md.push('');
lap('distillation');

// ---- Streaming cost (what the gateway pays per delta) -----------------------------------------------------------------
md.push(
  '### Streaming cost',
  '',
  'All prose responses pushed through `createStreamingTextTransform` in 16-character deltas, best of three passes, one core.',
  '',
);
md.push('| transform | MB/s | µs per 16-char delta |', '|---|---:|---:|');
const proseChars = prose.reduce((n, t) => n + t.length, 0);
const throughput: Record<string, number> = {};
for (const [name, kind, opts] of [
  ['answer: watermark', 'answer', { reasoning: 'keep', watermark: qKey }],
  [
    'answer: perturbFormat + watermark',
    'answer',
    { reasoning: 'keep', perturbFormat: true, watermark: qKey },
  ],
  ['reasoning: summarise + watermark', 'reasoning', { reasoning: 'summarise', watermark: qKey }],
] as const) {
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const start = process.hrtime.bigint();
    for (const text of prose) {
      const s = createStreamingTextTransform(kind, opts);
      for (let i = 0; i < text.length; i += 16) s.push(text.slice(i, i + 16));
      s.flush();
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  throughput[name] = proseChars / 1e6 / (best / 1000);
  md.push(
    `| ${name} | ${(proseChars / 1e6 / (best / 1000)).toFixed(2)} | ${((best * 1000) / (proseChars / 16)).toFixed(1)} |`,
  );
}
md.push('');
lap('streaming cost');

// ---- Write the document ----------------------------------------------------------------------------------------------------
const elapsed = (Date.now() - t0) / 1000;
md.push(`_Generated by \`npm run experiment:provenance\` in ${elapsed.toFixed(0)} s._`);
const doc = readFileSync(DOC, 'utf8');
const begin = '<!-- results:begin -->';
const end = '<!-- results:end -->';
const i = doc.indexOf(begin);
const j = doc.indexOf(end);
if (i < 0 || j < i) throw new Error(`${DOC} lacks the ${begin} / ${end} markers`);
writeFileSync(DOC, `${doc.slice(0, i + begin.length)}\n${md.join('\n')}\n${doc.slice(j)}`);
console.log(md.join('\n'));
const result = {
  seconds: Math.round(elapsed),
  quality: quality.map((q) => ({
    pool: q.pool,
    wordsChanged: q.changed / q.words,
    eligiblePer100Words: (100 * q.eligible) / q.words,
  })),
  mathBoxedPreserved: boxedKept / math.length,
  degradation,
  fpr: fpr.map((f) => ({
    pool: f.pool,
    batch: f.batch,
    ks: f.ks,
    rate05: f.rate05,
    rate01: f.rate01,
    rateAlpha: f.rateAlpha,
  })),
  power: power.map((p) => ({ pool: p.pool, n: p.n, detected: p.detected / p.tests, medianP: p.medianP })),
  robustness,
  distillation: distill,
  throughputMBps: throughput,
  medianPowerP20: median(power.filter((p) => p.n === 20).map((p) => p.medianP)),
};
console.log(`RESULT ${JSON.stringify(result)}`);
