import type { Role } from './context.js';

/**
 * Least privilege, as data. Analysts decide and resolve appeals; only admins allowlist
 * (an allowlist entry exempts a caller from everything); auditors read everything and
 * change nothing; peers (intel partners) get no access to decisions at all.
 */
export const PERMISSIONS = {
  'decisions:read': ['analyst', 'admin', 'auditor'],
  'decisions:write': ['analyst', 'admin'],
  'allowlist:read': ['analyst', 'admin', 'auditor'],
  'allowlist:write': ['admin'],
  'appeals:read': ['analyst', 'admin', 'auditor'],
  'appeals:create': ['analyst', 'admin'],
  'appeals:resolve': ['analyst', 'admin'],
  'audit:read': ['admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function allows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
