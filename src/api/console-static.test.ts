import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { serveConsole } from './index.js';

function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'sw-static-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'not for the web');
  const api = new Hono().get('/v1/ping', (c) => c.json({ path: c.req.path }));
  return serveConsole({ api, distDir: dist });
}

describe('console static server', () => {
  it('serves files, falls back to index.html for client routes, and routes /api to the API', async () => {
    const app = fixture();
    const js = await app.request('/assets/app.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await (await app.request('/campaigns/x')).text()).toContain('<title>console</title>');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect(await (await app.request('/api/v1/ping')).json()).toEqual({ path: '/v1/ping' });
  });

  it('never serves a file outside the build, and sets the security headers on every response', async () => {
    const app = fixture();
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await app.request(p);
      expect(await res.text(), p).not.toContain('not for the web');
    }
    for (const p of ['/', '/api/v1/ping', '/assets/missing.js']) {
      const res = await app.request(p);
      expect(res.headers.get('content-security-policy'), p).toContain("script-src 'self';");
      expect(res.headers.get('content-security-policy'), p).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
    }
  });
});
