import { createHash, timingSafeEqual } from 'node:crypto';
import { StillwatchError } from '../../domain/index.js';
import type { PeerConfig } from './config.js';

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameDigest(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Finds the peer an Authorization header belongs to (HTTP Basic or Bearer token). Throws
 * UNAUTHENTICATED for a missing, malformed or unknown credential; never says which part failed.
 */
export function authenticate(header: string | undefined, peers: readonly PeerConfig[]): PeerConfig {
  const fail = (): never => {
    throw new StillwatchError('UNAUTHENTICATED', 'valid credentials are required');
  };
  if (header === undefined) return fail();
  const sp = header.indexOf(' ');
  const scheme = header.slice(0, Math.max(0, sp)).toLowerCase();
  const value = header.slice(sp + 1).trim();
  if (scheme === 'bearer' && value !== '') {
    const digest = sha256Hex(value);
    const peer = peers.find((p) => p.token_sha256.some((t) => sameDigest(t, digest)));
    return peer ?? fail();
  }
  if (scheme === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return fail();
    const user = decoded.slice(0, colon);
    const digest = sha256Hex(decoded.slice(colon + 1));
    // Check every peer's password so that timing does not reveal which usernames exist.
    let found: PeerConfig | undefined;
    for (const p of peers)
      if (p.basic && sameDigest(p.basic.password_sha256, digest) && p.basic.username === user) found = p;
    return found ?? fail();
  }
  return fail();
}

export function canRead(peer: PeerConfig, collection: string): boolean {
  const p = peer.permissions[collection];
  return p === 'read' || p === 'read-write';
}

export function canWrite(peer: PeerConfig, collection: string): boolean {
  const p = peer.permissions[collection];
  return p === 'write' || p === 'read-write';
}
