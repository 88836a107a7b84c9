import { Hono } from 'hono';
import { z } from 'zod';
import { requirePermission } from '../auth.js';
import type { ApiEnv } from '../context.js';
import { query } from '../validate.js';

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).optional(),
});

/** The audit log, read-only: there is no route that changes or deletes an entry. */
export function auditRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  r.get('/', requirePermission('audit:read'), async (c) => {
    const q = query(c, ListQuery);
    return c.json(await c.get('deps').store.listAudit({ limit: q.limit, cursor: q.cursor ?? null }));
  });
  return r;
}
