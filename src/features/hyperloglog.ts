/**
 * HyperLogLog with 64 registers (64 bytes): distinct counts with ~13% standard error,
 * enough to tell "a handful of prompt templates" from "hundreds". Input is a 32-bit hash.
 */
const P = 6;
const M = 1 << P;
const ALPHA = 0.709; // α for m = 64

export const HLL_BYTES = M;

export class HyperLogLog {
  /**
   * Registers live at `offset` in `registers`, which several sketches may share: a typed
   * array costs ~200 bytes of headers, more than the 64 registers themselves.
   */
  constructor(
    readonly registers: Uint8Array = new Uint8Array(M),
    private readonly offset = 0,
  ) {}

  add(hash32: number): void {
    const idx = this.offset + (hash32 >>> (32 - P));
    const rest = (hash32 << P) | (1 << (P - 1));
    const rank = Math.clz32(rest) + 1;
    if (rank > (this.registers[idx] ?? 0)) this.registers[idx] = rank;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = this.offset; i < this.offset + M; i++) {
      const r = this.registers[i] ?? 0;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // Linear counting is far more accurate while many registers are still empty.
    if (raw <= 2.5 * M && zeros > 0) return M * Math.log(M / zeros);
    return raw;
  }
}
