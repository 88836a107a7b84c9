import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { mulberry32 } from '../src/features/index.js';

/** Teacher outputs for the provenance experiments, from the shared corpora (paths relative to the repo root). */
const CORPORA = '../shared/corpora';

const MathRow = z.object({ problem: z.string(), solution: z.string(), idx: z.number() });
const GpteacherRow = z.object({ instruction: z.string(), input: z.string(), response: z.string() });
const OasstRow = z.object({ text: z.string(), role: z.string() });

function read(path: string): string {
  return readFileSync(`${CORPORA}/${path}`, 'utf8');
}

/** MATH test-set worked solutions (5,000), each ending in a `\boxed{}` answer. */
export function mathSolutions(): string[] {
  return read('reasoning-eval/math/test.jsonl')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => MathRow.parse(JSON.parse(l)).solution);
}

/** GPTeacher role-play responses (1,923) and OpenAssistant assistant turns: assistant-style English prose. */
export function proseResponses(): { gpteacher: string[]; oasst: string[] } {
  const gpteacher = z
    .array(GpteacherRow)
    .parse(JSON.parse(read('benign-chat/gpteacher-roleplay/roleplay-simple-deduped-roleplay-instruct.json')));
  const oasst = z
    .array(OasstRow)
    .parse(JSON.parse(read('benign-chat/oasst-realistic-seed-conversations/realistic_seed_data.json')));
  return {
    gpteacher: gpteacher.map((r) => r.response).filter((t) => t.trim() !== ''),
    oasst: oasst.filter((r) => r.role === 'assistant').map((r) => r.text),
  };
}

/** The last `\boxed{...}` content (balanced braces), or null. */
export function lastBoxed(text: string): string | null {
  const at = text.lastIndexOf('\\boxed{');
  if (at < 0) return null;
  let depth = 0;
  for (let i = at + 6; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(at + 7, i);
  }
  return null;
}

/** A small seeded PRNG, so every figure is reproducible (the provenance benches import it from here). */
export const rng = mulberry32;

export function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
