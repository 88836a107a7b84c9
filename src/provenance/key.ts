import { createHash, randomBytes } from 'node:crypto';
import { StillwatchError } from '../domain/index.js';
import { MIN_SECRET_BYTES, WatermarkKeyFile } from './types.js';
import type { WatermarkKey } from './types.js';

/**
 * Parse a key file's contents. Errors never echo the secret.
 * @example
 * const key = loadWatermarkKey(readFileSync('wm.key.json', 'utf8'));
 */
export function loadWatermarkKey(fileContents: string): WatermarkKey {
  let raw: unknown;
  try {
    raw = JSON.parse(fileContents);
  } catch {
    throw new StillwatchError('INVALID_INPUT', 'watermark key file is not valid JSON');
  }
  const parsed = WatermarkKeyFile.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new StillwatchError(
      'INVALID_INPUT',
      `watermark key file is malformed (fields: ${fields}); expected {"id": "...", "secret": "<base64>"}`,
    );
  }
  const secret = new Uint8Array(Buffer.from(parsed.data.secret, 'base64'));
  if (secret.length < MIN_SECRET_BYTES) {
    throw new StillwatchError(
      'INVALID_INPUT',
      `watermark key secret must decode to at least ${MIN_SECRET_BYTES} bytes (got ${secret.length})`,
    );
  }
  return { id: parsed.data.id, secret };
}

/** A fresh random key, 32 bytes of secret unless told otherwise. */
export function generateWatermarkKey(id: string, bytes = MIN_SECRET_BYTES): WatermarkKey {
  if (bytes < MIN_SECRET_BYTES)
    throw new StillwatchError('INVALID_INPUT', `key must have at least ${MIN_SECRET_BYTES} bytes`);
  return { id, secret: new Uint8Array(randomBytes(bytes)) };
}

/** Serialise a key to the key-file format. The caller decides where it goes; it is never logged. */
export function serialiseWatermarkKey(key: WatermarkKey): string {
  return `${JSON.stringify({ id: key.id, secret: Buffer.from(key.secret).toString('base64') })}\n`;
}

/** A short public fingerprint so two parties can tell whether they hold the same key without showing it. */
export function watermarkKeyFingerprint(key: WatermarkKey): string {
  return createHash('sha256').update('stillwatch-wm-fp\0').update(key.secret).digest('hex').slice(0, 16);
}
