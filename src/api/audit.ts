import type { Context } from 'hono';
import type { ApiEnv } from './context.js';

/** Appends one entry to the append-only audit log; every write route calls this. */
export async function audit(c: Context<ApiEnv>, action: string, target: string, detail: Record<string, unknown>): Promise<number> {
  const { store, now } = c.get('deps');
  return store.appendAudit({ ts: now(), actor: c.get('principal').name, action, target, detail });
}
