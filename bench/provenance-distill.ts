import { createStreamingTextTransform } from '../src/provenance/index.js';
import type { WatermarkKey } from '../src/provenance/index.js';
import { rng, shuffle } from './provenance-data.js';
import { benchKey, fmtP, scanOccurrences, testScanned, watermark } from './provenance-measure.js';
import { NgramStudent } from './provenance-student.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Students A (watermarked teacher outputs) and B (the same outputs clean), tested from their own generations. */
export function distillationTable(
  prose: readonly string[],
  seed: number,
): { md: string[]; distill: Record<string, number> } {
  const SEED = seed;
  const md: string[] = [];
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
  return { md, distill };
}

/** What the gateway pays: the streaming transforms over all prose in 16-character deltas. */
export function streamingCostTable(
  prose: readonly string[],
  qKey: WatermarkKey,
): { md: string[]; throughput: Record<string, number> } {
  const md: string[] = [];
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
  return { md, throughput };
}
