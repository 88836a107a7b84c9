/**
 * Provenance experiment: degradation trade-off, watermark false-positive rate, power, robustness, quality cost and
 * distillation into a student trained in TypeScript. Every figure in docs/PROVENANCE.md between the result markers
 * is written by this script. Run: npm run experiment:provenance   (seeds are fixed; about 1–3 minutes on one core)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { transformAnswerText } from '../src/provenance/index.js';
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
  watermark,
} from './provenance-measure.js';
import type { FprRow, PowerRow, QualityRow } from './provenance-measure.js';
import { degradationTable, mathSegs, structureLine } from './provenance-degrade.js';
import { distillationTable, streamingCostTable } from './provenance-distill.js';

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
const deg = degradationTable(math, qKey);
md.push(...deg.md, '', structureLine(prose), '');
const degradation = deg.degradation;
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
const { md: distMd, distill } = distillationTable(prose, SEED);
md.push(...distMd);
lap('distillation');

// ---- Streaming cost (what the gateway pays per delta) -----------------------------------------------------------------
const { md: costMd, throughput } = streamingCostTable(prose, qKey);
md.push(...costMd);
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
