import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpora } from './fixtures/load.js';
import { runSim } from './simulate.js';

const root = mkdtempSync(join(tmpdir(), 'sim-memory-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function peakHeap(days: number): { peak: number; events: number } {
  let peak = 0;
  const probe = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const s = runSim(
    { seed: 5, scale: 0.05, days, out: join(root, `d${days}`) },
    { corpora: corpora(), onProgress: probe, progressEvery: 1000 },
  );
  probe();
  return { peak, events: s.events };
}

describe('runSim memory', () => {
  it('stays flat as the number of events grows fourfold and more', () => {
    corpora();
    const small = peakHeap(2);
    const large = peakHeap(20);
    expect(large.events).toBeGreaterThan(4 * small.events);
    // Keeping events would cost well over 100 MB here; streaming costs only GC noise.
    expect(large.peak - small.peak).toBeLessThan(48 * 1024 * 1024);
  });
});
