/**
 * mulberry32: a tiny seeded generator, uniform in [0, 1). For reproducible fixtures and bench
 * populations, not for anything secret. Fixture values and published bench figures depend on
 * this exact sequence, so the algorithm must not change; the simulator keeps its own sfc32
 * (src/sim/rng.ts) with per-actor streams.
 * @example const r = mulberry32(7); const x = r();
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
