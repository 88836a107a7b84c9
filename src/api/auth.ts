import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { StillwatchError } from '../domain/index.js';
import { ROLES, type ApiEnv, type Principal } from './context.js';
import { allows, type Permission } from './permissions.js';

export const ApiTokenEntry = z.strictObject({
  name: z.string().min(1).max(128),
  role: z.enum(ROLES),
  /** Hex SHA-256 of the token; the token itself is never stored. */
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected the hex SHA-256 of the token' }),
});
export type ApiTokenEntry = z.infer<typeof ApiTokenEntry>;
export const ApiTokenFile = z.strictObject({ tokens: z.array(ApiTokenEntry).min(1) });

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Parses an API token file (JSON or YAML); errors name the entry and field. */
export function parseApiTokens(text: string, sourceName: string): ApiTokenEntry[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new StillwatchError('INVALID_CONFIG', `${sourceName}: not valid JSON or YAML: ${(err as Error).message}`);
  }
  const parsed = ApiTokenFile.safeParse(raw);
  if (!parsed.success) {
    throw new StillwatchError('INVALID_CONFIG', `invalid token file ${sourceName}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.tokens;
}

/**
 * Bearer-token authentication. The presented token is hashed and compared with every
 * configured hash in constant time, with no early exit, so timing says nothing about which
 * (or whether any) token nearly matched.
 * @example
 * app.use('*', authenticate({ tokens }));
 */
export function authenticate(options: { tokens: readonly ApiTokenEntry[] }): MiddlewareHandler<ApiEnv> {
  const stored = options.tokens.map((t) => ({ hash: Buffer.from(t.token_sha256, 'hex'), principal: { name: t.name, role: t.role } satisfies Principal }));
  return async function authenticateRequest(c, next) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m?.[1]) throw new StillwatchError('UNAUTHENTICATED', 'missing bearer token');
    const presented = createHash('sha256').update(m[1], 'utf8').digest();
    let found: Principal | null = null;
    for (const s of stored) if (timingSafeEqual(presented, s.hash) && found === null) found = s.principal;
    if (!found) throw new StillwatchError('UNAUTHENTICATED', 'invalid token');
    c.set('principal', found);
    await next();
  };
}

/** Refuses the request unless the caller's role has `permission`. */
export function requirePermission(permission: Permission): MiddlewareHandler<ApiEnv> {
  return async function checkPermission(c, next) {
    const p = c.get('principal');
    if (!allows(p.role, permission)) throw new StillwatchError('FORBIDDEN', `role ${p.role} may not ${permission.replace(':', ' ')}`);
    await next();
  };
}
