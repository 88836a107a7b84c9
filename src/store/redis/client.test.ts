import { describe, expect, it } from 'vitest';
import { redactRedisUrl, redactSecrets } from './client.js';
import { redisKeys } from './keys.js';

describe('Redis connection details in logs', () => {
  it('masks the user and password of a URL', () => {
    expect(redactRedisUrl('redis://default:s3cret-pw@cache.internal:6380/2')).toBe(
      'redis://***:***@cache.internal:6380/2',
    );
    expect(redactRedisUrl('rediss://:s3cret-pw@cache.internal')).toBe('rediss://:***@cache.internal');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('not a url s3cret')).not.toMatch(/s3cret/);
  });

  it('removes the password from driver messages that might quote it', () => {
    expect(redactSecrets('WRONGPASS for s3cret%21pw', 'redis://u:s3cret%21pw@h')).toBe('WRONGPASS for ***');
    expect(redactSecrets('auth failed: s3cret!pw', 'redis://u:s3cret%21pw@h')).toBe('auth failed: ***');
  });
});

describe('Redis key names', () => {
  it('put every key of a namespace in one cluster slot and refuse unsafe namespaces', () => {
    const k = redisKeys('prod-eu');
    for (const key of [k.version, k.epoch, k.log, k.channel, ...Object.values(k.hashes)])
      expect(key).toMatch(/^stillwatch:\{prod-eu\}:/);
    expect(() => redisKeys('a}b')).toThrow(/namespace/);
    expect(() => redisKeys('')).toThrow(/namespace/);
  });
});
