import type { IncomingMessage } from 'node:http';
import type { Caller } from './context.js';
import { hashApiKey, type KeyResolver } from './keys.js';
import { header } from './node-io.js';
import { openAIError, type Reply } from './openai-error.js';

export interface IdentifyOptions {
  keys: KeyResolver;
  /** Header a reseller sets to name its own end user (default `x-stillwatch-end-user`). */
  endUserHeader?: string;
  /** What to do with a key not in the map: refuse (401, default) or pass it on as its own account. */
  unknownKeys?: 'reject' | 'passthrough';
  /**
   * Headers set by a trusted front proxy or TLS terminator. Off by default: a client could
   * otherwise pick its own IP or fingerprint and dodge infrastructure decisions.
   */
  trustedHeaders?: { ip?: string; asn?: string; tlsFp?: string };
}

function bearer(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m?.[1] ?? null;
}

function normaliseAsn(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const m = /^(?:AS)?(\d{1,10})$/i.exec(v.trim());
  return m?.[1] ? `AS${m[1]}` : undefined;
}

function stripMappedV4(ip: string | undefined): string | undefined {
  return ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * Identifies the caller: bearer API key → account (via the key map), optional end-user
 * header, and connection facts used by infrastructure decisions. Returns the refusal
 * (an OpenAI-format 401) when the caller cannot be identified.
 * @example
 * const identify = createIdentifier({ keys: parseKeyMap(text, 'keys.yaml') });
 * const who = identify(req); // Caller | Reply
 */
export function createIdentifier(options: IdentifyOptions): (req: IncomingMessage) => Caller | Reply {
  const endUserHeader = (options.endUserHeader ?? 'x-stillwatch-end-user').toLowerCase();
  const trusted = options.trustedHeaders ?? {};
  return function identifyCaller(req) {
    const key = bearer(header(req, 'authorization'));
    if (key === null) return openAIError(401, 'Missing bearer API key.', 'authentication_error', 'missing_api_key');
    let who = options.keys.resolve(key);
    if (!who) {
      if (options.unknownKeys !== 'passthrough') return openAIError(401, 'Incorrect API key provided.', 'authentication_error', 'invalid_api_key');
      const id = `sha256:${hashApiKey(key).slice(0, 12)}`;
      who = { account: `key:${id}`, org: undefined, keyId: id };
    }
    const endUser = header(req, endUserHeader);
    const forwardedIp = trusted.ip ? header(req, trusted.ip)?.split(',')[0]?.trim() : undefined;
    return {
      account: who.account,
      keyId: who.keyId,
      org: who.org,
      endUser: endUser && endUser.length <= 256 ? endUser : undefined,
      ip: stripMappedV4(forwardedIp || req.socket.remoteAddress),
      asn: trusted.asn ? normaliseAsn(header(req, trusted.asn)) : undefined,
      tlsFp: trusted.tlsFp ? header(req, trusted.tlsFp)?.slice(0, 256) : undefined,
      userAgent: header(req, 'user-agent')?.slice(0, 512),
    };
  };
}
