import { createHmac } from 'node:crypto';
import type { WatermarkKey } from './types.js';

const DOMAIN = 'stillwatch-lexical-wm-v1\0';
const CACHE_LIMIT = 8192;

/**
 * The keyed choice: HMAC-SHA256(secret, set id ‖ context) picks one variant of the set. Without the key the choice
 * looks uniform in every context, so overall word frequencies do not give the watermark away.
 */
export class KeyedChooser {
  private readonly cache = new Map<string, number>();
  constructor(private readonly key: WatermarkKey) {}

  preferred(setId: string, context: string, size: number): number {
    const k = `${setId}\0${context}`;
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit % size;
    const mac = createHmac('sha256', this.key.secret).update(DOMAIN).update(k).digest();
    const v = mac.readUInt32BE(0);
    // Bounded memory: the cache is a convenience, dropping it only costs recomputation.
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(k, v);
    return v % size;
  }
}
