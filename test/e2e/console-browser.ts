import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hashToken } from '../../src/api/index.js';
import { startConsoleServer, type RunningConsole } from '../../src/cli/commands/serve.js';
import type { NewIntelObject } from '../../src/ports/index.js';
import { createSqliteIntelStore, createSqliteStore } from '../../src/store/sqlite/index.js';
import { seedStore, T0, XSS_PAYLOADS } from './console-seed.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CONSOLE_DIST = new URL('../../console/dist', import.meta.url).pathname;
export const TOKENS = { analyst: 'e2e-analyst-token', admin: 'e2e-admin-token', auditor: 'e2e-auditor-token', peer: 'e2e-peer-token' } as const;
export type Role = keyof typeof TOKENS;

function intelObject(collection: string, n: number, type: string, extra: Record<string, unknown>, addedBy: string): NewIntelObject {
  const id = `${type}--00000000-0000-4000-8000-00000000000${n}`;
  return { collection, id, type, version: '2026-11-01T00:00:00.000Z', versionMs: T0, specVersion: '2.1', mediaType: 'application/stix+json;version=2.1', dateAdded: T0 + n, addedBy, tlp: 'amber', object: { type, id, spec_version: '2.1', ...extra } };
}

/** A served console over a seeded SQLite store (with script payloads in prompts and names) and an intel store. */
export async function startFixture(): Promise<{ dir: string; server: RunningConsole }> {
  if (!existsSync(`${CONSOLE_DIST}/index.html`)) throw new Error(`no console build in ${CONSOLE_DIST}: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'stillwatch-console-'));
  const store = createSqliteStore(join(dir, 'stillwatch.db'));
  await seedStore(store);
  await store.close();
  const intel = createSqliteIntelStore(join(dir, 'intel.db'));
  await intel.putObjects([
    intelObject('shared-main', 1, 'indicator', { name: XSS_PAYLOADS[1], pattern: "[x-stillwatch:key = 'k1']" }, 'local'),
    intelObject('peer:acme', 2, 'sighting', { sighting_of_ref: 'indicator--x' }, 'acme'),
  ]);
  await intel.putPeer({ id: 'acme', apiRoot: 'https://taxii.acme.example/api/', collection: 'c1', lastAddedAfter: null, lastPullTs: T0 });
  await intel.close();
  const tokens = join(dir, 'tokens.json');
  writeFileSync(tokens, JSON.stringify({ tokens: (Object.keys(TOKENS) as Role[]).map((role) => ({ name: `${role}-e2e`, role, token_sha256: hashToken(TOKENS[role]) })) }));
  const server = await startConsoleServer({ mode: 'embedded', db: join(dir, 'stillwatch.db'), tokens, port: 0, host: '127.0.0.1', consoleDir: CONSOLE_DIST, intelDb: join(dir, 'intel.db'), intelCollection: ['shared-main'], rateLimit: 100_000 });
  return { dir, server };
}

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

/** A page that records any sign of executed payloads: the __xss flag, dialogs, page errors. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; incidents: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const incidents: string[] = [];
  page.on('dialog', (d) => {
    incidents.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => incidents.push(`pageerror: ${e.message}`));
  return { page, incidents };
}

export async function login(page: Page, base: string, role: Role): Promise<void> {
  await page.goto(base);
  await page.fill('input[name=token]', TOKENS[role]);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

/** Fails if any payload ran: the flag any of them would set, or markup they would have created. */
export async function assertInert(page: Page, incidents: string[], where: string): Promise<void> {
  // Browser-side code as a string: the test project has no DOM typings.
  const state = await page.evaluate<{ flag: unknown; injected: number; jsLinks: number }>(`({
    flag: window.__xss ?? null,
    injected: document.querySelectorAll('main img, main iframe, main script, main [onerror], main [onload]').length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
  })`);
  if (state.flag !== null || state.injected > 0 || state.jsLinks > 0 || incidents.length > 0) throw new Error(`payload executed or injected on ${where}: ${JSON.stringify({ ...state, incidents })}`);
}

/** Text content of every element matching `selector`. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent ?? '')`);
}

/** One attribute of every element matching `selector`. */
export async function attrs(page: Page, selector: string, name: string): Promise<(string | null)[]> {
  return page.evaluate<(string | null)[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getAttribute(${JSON.stringify(name)}))`);
}
