import { Redis } from 'ioredis';
import { CHANGES_SCRIPT, WRITE_SCRIPT } from './scripts.js';

/** The commands the scripts add to a connection (ioredis runs them by SHA, reloading after a restart). */
export interface ScriptedRedis extends Redis {
  swWrite(...args: Array<string | number>): Promise<[number, number]>;
  swChanges(...args: Array<string | number>): Promise<Array<string | null>>;
}

export interface RedisConnectionOptions {
  url: string;
  /** Shown in CLIENT LIST, so operators can tell gateways from publishers. */
  name?: string;
  /** Queue commands while disconnected (only for the subscriber: a request must never wait). */
  queueWhileDown?: boolean;
  /** Told about every connection error, with secrets removed. */
  onError?: (message: string) => void;
}

/** A Redis URL with its password (and user) masked, for logs and errors. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '' || u.username !== '') {
      u.username = u.username === '' ? '' : '***';
      u.password = u.password === '' ? '' : '***';
    }
    return u.toString();
  } catch {
    return 'redis://(unparsable url)';
  }
}

/** Removes the URL's password from a message, in case a driver error ever quotes it. */
export function redactSecrets(message: string, url: string): string {
  let out = message;
  try {
    const u = new URL(url);
    for (const secret of [u.password, decodeURIComponent(u.password)])
      if (secret.length >= 3) out = out.replaceAll(secret, '***');
  } catch {
    // An unparsable URL has no password we could find; the message is returned as is.
  }
  return out;
}

/**
 * Opens a connection that reconnects forever (backing off to 2 s) and, by default, fails
 * commands at once while disconnected instead of queueing them: callers decide what a
 * failure means (the cache keeps its mirror; the publisher marks itself for a resync).
 * @example const redis = openRedis({ url: 'redis://127.0.0.1:6379', name: 'stillwatch-gateway' });
 */
export function openRedis(options: RedisConnectionOptions): ScriptedRedis {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectionName: options.name,
    enableOfflineQueue: options.queueWhileDown ?? false,
    maxRetriesPerRequest: options.queueWhileDown ? null : 1,
    connectTimeout: 2_000,
    commandTimeout: options.queueWhileDown ? undefined : 10_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
  });
  // Without a listener ioredis prints every failed reconnect attempt itself.
  redis.on('error', (err: Error) => options.onError?.(redactSecrets(err.message, options.url)));
  redis.defineCommand('swWrite', { numberOfKeys: 7, lua: WRITE_SCRIPT });
  redis.defineCommand('swChanges', { numberOfKeys: 7, lua: CHANGES_SCRIPT });
  return redis as ScriptedRedis;
}

/** Connects a lazily opened client; resolves false (not throwing) when Redis is not there yet. */
export async function tryConnect(redis: Redis): Promise<boolean> {
  if (redis.status === 'ready') return true;
  if (redis.status !== 'wait') return false;
  try {
    await redis.connect();
    return true;
  } catch {
    return false;
  }
}
