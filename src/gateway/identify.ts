import type { MiddlewareHandler } from 'hono';
import type { Caller, GatewayEnv } from './context.js';
import { hashApiKey, type KeyResolver } from './keys.js';
import { header, remoteAddress } from './node-io.js';
import { openAIError } from './openai-error.js';

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

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
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
 * header, and connection facts used by infrastructure decisions.
 * @example
 * app.use('*', identify({ keys: parseKeyMap(text, 'keys.yaml') }));
 */
export function identify(options: IdentifyOptions): MiddlewareHandler<GatewayEnv> {
  const endUserHeader = options.endUserHeader ?? 'x-stillwatch-end-user';
  const trusted = options.trustedHeaders ?? {};
  return async function identifyCaller(c, next) {
    const key = bearer(header(c, 'authorization'));
    if (key === null) {
      return openAIError(401, 'Missing bearer API key.', 'authentication_error', 'missing_api_key');
    }
    let who = options.keys.resolve(key);
    if (!who) {
      if (options.unknownKeys !== 'passthrough') {
        return openAIError(401, 'Incorrect API key provided.', 'authentication_error', 'invalid_api_key');
      }
      const id = `sha256:${hashApiKey(key).slice(0, 12)}`;
      who = { account: `key:${id}`, org: undefined, keyId: id };
    }
    const endUser = header(c, endUserHeader);
    const forwardedIp = trusted.ip ? header(c, trusted.ip)?.split(',')[0]?.trim() : undefined;
    const caller: Caller = {
      account: who.account,
      keyId: who.keyId,
      org: who.org,
      endUser: endUser && endUser.length <= 256 ? endUser : undefined,
      ip: stripMappedV4(forwardedIp || remoteAddress(c)),
      asn: trusted.asn ? normaliseAsn(header(c, trusted.asn)) : undefined,
      tlsFp: trusted.tlsFp ? header(c, trusted.tlsFp)?.slice(0, 256) : undefined,
      userAgent: header(c, 'user-agent')?.slice(0, 512),
    };
    c.set('caller', caller);
    await next();
  };
}
