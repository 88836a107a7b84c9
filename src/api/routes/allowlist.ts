import { Hono } from 'hono';
import { z } from 'zod';
import { StillwatchError } from '../../domain/index.js';
import type { AllowlistEntry } from '../../ports/index.js';
import { audit } from '../audit.js';
import { requirePermission } from '../auth.js';
import type { ApiEnv } from '../context.js';
import { jsonBody } from '../validate.js';

const MAX_AHEAD_MS = 366 * 86_400_000;

const CreateBody = z.strictObject({
  subject: z.string().regex(/^(account|org|end_user):.+$/, { message: 'expected "account:<id>", "org:<org>" or "end_user:<account>/<end user>"' }).max(600),
  owner: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(3).max(2000),
  /** ISO-8601; required: nobody is exempt forever. */
  expires_at: z.iso.datetime({ offset: true }),
});

/** Allowlist: verified research programmes and known enterprise jobs, each with owner, reason and expiry. */
export function allowlistRouter(): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();

  r.get('/', requirePermission('allowlist:read'), async (c) => {
    const { store, now } = c.get('deps');
    return c.json({ items: await store.listAllowlist(now()) });
  });

  r.post('/', requirePermission('allowlist:write'), async (c) => {
    const body = await jsonBody(c, CreateBody);
    const { store, now, newId } = c.get('deps');
    const ts = now();
    const expires = Date.parse(body.expires_at);
    if (expires <= ts) throw new StillwatchError('INVALID_INPUT', 'expires_at must be in the future');
    if (expires - ts > MAX_AHEAD_MS) throw new StillwatchError('INVALID_INPUT', 'expires_at may be at most a year ahead; renew it when it lapses');
    const entry: AllowlistEntry = { id: newId('alw'), subject: body.subject, owner: body.owner, reason: body.reason, created_ts: ts, expires_ts: expires };
    await store.putAllowlist(entry);
    await audit(c, 'allowlist.add', entry.id, { subject: entry.subject, owner: entry.owner, reason: entry.reason, expires_ts: entry.expires_ts });
    return c.json(entry, 201);
  });

  r.delete('/:id', requirePermission('allowlist:write'), async (c) => {
    const id = c.req.param('id');
    if (!(await c.get('deps').store.deleteAllowlist(id))) throw new StillwatchError('NOT_FOUND', `no allowlist entry ${id}`);
    await audit(c, 'allowlist.remove', id, {});
    return c.body(null, 204);
  });

  return r;
}
