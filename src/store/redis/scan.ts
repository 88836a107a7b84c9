import type { Redis } from 'ioredis';

/**
 * Every field of a hash, read in pages with HSCAN so a large snapshot never blocks Redis
 * the way one HGETALL of 100k fields would. Not atomic: callers that need a consistent
 * view catch up from the change log afterwards (see decision-cache.ts).
 */
export async function readHash(redis: Redis, key: string, count = 1000): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', count);
    for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
    cursor = next;
  } while (cursor !== '0');
  return out;
}
