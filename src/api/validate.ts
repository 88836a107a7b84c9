import type { Context } from 'hono';
import type { z } from 'zod';
import { StillwatchError } from '../domain/index.js';

function fail(where: string, error: z.ZodError): never {
  const detail = error.issues.map((i) => `${i.path.join('.') || where}: ${i.message}`).join('; ');
  throw new StillwatchError('INVALID_INPUT', `invalid ${where}: ${detail}`);
}

/** Parses the JSON body with a schema; a bad body is a 400 naming each field. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new StillwatchError('INVALID_INPUT', 'request body is not valid JSON');
  }
  const r = schema.safeParse(raw);
  if (!r.success) fail('body', r.error);
  return r.data;
}

export function query<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const r = schema.safeParse(c.req.query());
  if (!r.success) fail('query', r.error);
  return r.data;
}
