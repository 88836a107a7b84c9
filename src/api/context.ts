import type { Store } from '../ports/index.js';

export const ROLES = ['analyst', 'admin', 'auditor', 'peer'] as const;
export type Role = (typeof ROLES)[number];

/** Who made the request, as established by the auth middleware. Never carries the token. */
export interface Principal {
  name: string;
  role: Role;
}

export interface ApiDeps {
  store: Store;
  now: () => number;
  newId: (prefix: string) => string;
}

/** Hono environment of the decisions API. */
export interface ApiEnv {
  Variables: {
    principal: Principal;
    deps: ApiDeps;
  };
}
