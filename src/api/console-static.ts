import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Hono, type Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * No inline script may run (so an escaped-wrongly string could still not execute), nothing
 * may frame the console, and it talks only to its own origin.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export interface ConsoleServerOptions {
  /** The API app, mounted under /api. */
  api: { fetch: (req: Request) => Response | Promise<Response> };
  /** The built console (console/dist). */
  distDir: string;
}

async function fileResponse(c: Context, root: string, urlPath: string): Promise<Response | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    if (!(await stat(full)).isFile()) return null;
  } catch {
    return null;
  }
  const body = await readFile(full);
  const immutable = rel.startsWith('/assets/');
  return c.body(body, 200, {
    'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
}

/**
 * One origin for the console and its API: `/api/*` goes to the API app, everything else is a
 * file of the built console, and unknown paths get index.html (client-side routes).
 */
export function serveConsole(options: ConsoleServerOptions): Hono {
  const root = normalize(options.distDir);
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });
  app.all('/api/*', (c) => {
    const url = new URL(c.req.url);
    url.pathname = url.pathname.slice('/api'.length);
    return options.api.fetch(new Request(url, c.req.raw));
  });
  app.get('*', async (c) => {
    const path = new URL(c.req.url).pathname;
    const file = path === '/' ? null : await fileResponse(c, root, path);
    if (file) return file;
    if (path.startsWith('/assets/')) return c.text('not found', 404);
    const index = await fileResponse(c, root, '/index.html');
    return index ?? c.text('console not built: run `npm run build`', 503);
  });
  return app;
}
