/** What the Redis side reports, for logs and metrics; messages never carry secrets. */
export type RedisCacheEvent =
  | { type: 'unavailable'; role: 'cache' | 'publisher'; error: string }
  | { type: 'recovered'; role: 'cache' | 'publisher' }
  /** The cache loaded the whole snapshot (start, another epoch, or too far behind the log). */
  | { type: 'loaded'; version: number; decisions: number; ms: number }
  /** The publisher compared Redis with the source of truth and wrote the differences. */
  | { type: 'resynced'; version: number; changed: number; ms: number }
  | { type: 'invalid-entry'; kind: string; field: string };

export type RedisEventSink = (event: RedisCacheEvent) => void;
