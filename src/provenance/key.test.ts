import { describe, expect, it } from 'vitest';
import {
  generateWatermarkKey,
  loadWatermarkKey,
  serialiseWatermarkKey,
  watermarkKeyFingerprint,
} from './key.js';

describe('loadWatermarkKey', () => {
  it('round-trips a generated key through the key-file format', () => {
    const key = generateWatermarkKey('k1');
    const back = loadWatermarkKey(serialiseWatermarkKey(key));
    expect(back.id).toBe('k1');
    expect(Buffer.from(back.secret).equals(Buffer.from(key.secret))).toBe(true);
    expect(watermarkKeyFingerprint(back)).toBe(watermarkKeyFingerprint(key));
  });

  it('rejects bad JSON, missing fields, non-base64 and short secrets without echoing the secret', () => {
    expect(() => loadWatermarkKey('{')).toThrow(/not valid JSON/);
    expect(() => loadWatermarkKey('{"id":"x"}')).toThrow(/malformed \(fields: secret\)/);
    expect(() => loadWatermarkKey('{"id":"x","secret":"not base64!!"}')).toThrow(/malformed/);
    const short = Buffer.from('sixteen bytes!!!').toString('base64');
    expect(() => loadWatermarkKey(JSON.stringify({ id: 'x', secret: short }))).toThrow(
      /at least 32 bytes \(got 16\)/,
    );
    try {
      loadWatermarkKey(JSON.stringify({ id: 'x', secret: short }));
    } catch (err) {
      expect(String(err)).not.toContain(short);
    }
  });
});
