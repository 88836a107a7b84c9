import type { MiddlewareHandler } from 'hono';
import { StillwatchError } from '../domain/index.js';
import type { ApiEnv, Role } from './context.js';
import { PERMISSIONS } from './permissions.js';

/**
 * Read permissions of the console's resources, kept beside the decisions API's table.
 * Analysts and admins work cases; auditors read everything and change nothing; peers (intel
 * partners) see only the intelligence we shared with them — never accounts, prompts or decisions.
 */
export const CONSOLE_PERMISSIONS = {
  'accounts:read': ['analyst', 'admin', 'auditor'],
  'campaigns:read': ['analyst', 'admin', 'auditor'],
  'findings:read': ['analyst', 'admin', 'auditor'],
  'overview:read': ['analyst', 'admin', 'auditor'],
  'intel:read': ['analyst', 'admin', 'auditor', 'peer'],
  /** Intel received from other peers may carry their TLP restrictions: not for peers. */
  'intel:read-received': ['analyst', 'admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type ConsolePermission = keyof typeof CONSOLE_PERMISSIONS;

export function consoleAllows(role: Role, permission: ConsolePermission): boolean {
  return (CONSOLE_PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Every permission of a role, across both tables: what the console uses to shape navigation. */
export function permissionsOf(role: Role): string[] {
  const all: Record<string, readonly Role[]> = { ...PERMISSIONS, ...CONSOLE_PERMISSIONS };
  return Object.entries(all)
    .filter(([, roles]) => roles.includes(role))
    .map(([p]) => p)
    .sort();
}

export function requireConsolePermission(permission: ConsolePermission): MiddlewareHandler<ApiEnv> {
  return async function checkConsolePermission(c, next) {
    const p = c.get('principal');
    if (!consoleAllows(p.role, permission)) throw new StillwatchError('FORBIDDEN', `role ${p.role} may not ${permission.replace(':', ' ')}`);
    await next();
  };
}
