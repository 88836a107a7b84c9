import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ERROR_CATALOG, StillwatchError, type ErrorKind } from '../domain/index.js';

const STATUS: Record<ErrorKind, 400 | 401 | 403 | 404 | 409 | 503 | 500> = {
  input: 400,
  auth: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/**
 * The one place API errors become HTTP. Domain errors carry a catalog code; anything else
 * is an internal error whose details stay out of the response.
 */
export function apiErrorHandler(onUnexpected?: (err: unknown) => void) {
  return function onError(err: unknown, c: Context): Response {
    if (err instanceof StillwatchError) {
      const status = STATUS[err.kind];
      if (!ERROR_CATALOG[err.code].expected) onUnexpected?.(err);
      const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      return c.json({ error: { code: err.code, message: err.message } }, status, headers);
    }
    if (err instanceof HTTPException) return c.json({ error: { code: 'INVALID_INPUT', message: err.message } }, err.status);
    onUnexpected?.(err);
    return c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500);
  };
}
