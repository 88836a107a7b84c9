import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningConsole } from '../../src/cli/commands/serve.js';
import { CAMPAIGN_ID, XSS_PAYLOADS } from './console-seed.js';
import { assertInert, launch, login, startFixture, texts, attrs, TOKENS, watchedPage, type Role } from './console-browser.js';

let browser: Browser;
let server: RunningConsole;
let shots: string;

beforeAll(async () => {
  const f = await startFixture();
  server = f.server;
  shots = join(f.dir, 'screenshots');
  mkdirSync(shots);
  browser = await launch();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function apiStatus(role: Role, path: string, init: { method?: string; body?: unknown } = {}): Promise<number> {
  const res = await fetch(new URL(`api${path}`, server.url), { method: init.method ?? 'GET', headers: { authorization: `Bearer ${TOKENS[role]}`, 'content-type': 'application/json' }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return res.status;
}

describe('console in headless Chromium', () => {
  it('serves the console with a strict CSP', async () => {
    const res = await fetch(server.url);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets an analyst log in, open a campaign, act on it and resolve an appeal, with every payload inert', async () => {
    const { page, incidents } = await watchedPage(browser);
    await login(page, server.url, 'analyst');
    await page.waitForSelector('svg.chart');
    await assertInert(page, incidents, 'overview');
    await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true });

    await page.click('[data-nav=campaigns]');
    await page.click(`[data-campaign="${CAMPAIGN_ID}"]`);
    await page.waitForSelector('svg.graph');
    // The campaign id itself carries markup: it must read as text.
    expect(await page.textContent('[data-testid=campaign-id]')).toBe(CAMPAIGN_ID);
    const prompts = await texts(page, '.prompt');
    // The campaign's evidence shows three samples per finding.
    for (const p of XSS_PAYLOADS.slice(0, 3)) expect(prompts).toContain(p);
    expect(await texts(page, '.edge-label')).toContain('payment_fp, tls_fp');
    await assertInert(page, incidents, 'campaign');

    await page.selectOption('[data-form=action] select[aria-label=action]', 'throttle');
    await page.fill('[data-form=action] input[aria-label=reason]', 'coordinated extraction, shared payment fingerprint');
    await page.click('[data-form=action] button[type=submit]');
    await page.waitForSelector('text=/decision dec_.* recorded: throttle/');
    await page.screenshot({ path: join(shots, 'campaign.png'), fullPage: true });

    await page.goto(`${server.url}#/accounts/acct_0000`);
    await page.waitForSelector('[data-testid=account-id]');
    const accountPrompts = await texts(page, '.prompt');
    for (const p of XSS_PAYLOADS) expect(accountPrompts).toContain(p);
    expect(await page.textContent('main')).toContain('dec_seed_1');
    await assertInert(page, incidents, 'account');
    await page.screenshot({ path: join(shots, 'account.png'), fullPage: true });

    await page.click('[data-nav=appeals]');
    await page.waitForSelector('[data-appeal=apl_seed_1]');
    await assertInert(page, incidents, 'appeals');
    await page.selectOption('[data-appeal=apl_seed_1] select[aria-label=outcome]', 'overturned');
    await page.fill('[data-appeal=apl_seed_1] input[aria-label="resolution reason"]', 'verified university research lab');
    await page.click('[data-appeal=apl_seed_1] button[type=submit]');
    await page.waitForSelector('text=/appeal apl_seed_1 overturned; lifted/');
    await page.screenshot({ path: join(shots, 'appeals.png'), fullPage: true });

    for (const nav of ['decisions', 'allowlist', 'intel', 'accounts']) {
      await page.click(`[data-nav=${nav}]`);
      await page.waitForSelector('main h1');
      await page.waitForLoadState('networkidle');
      await assertInert(page, incidents, nav);
    }
    // Analysts do not read the audit log; both the navigation and the API say so.
    expect(await page.$('[data-nav=audit]')).toBeNull();
    expect(await apiStatus('analyst', '/v1/audit')).toBe(403);
    await page.context().close();
  }, 45_000);

  it('records both writes in the audit log, which the auditor reads but cannot change anything from', async () => {
    const { page, incidents } = await watchedPage(browser);
    await login(page, server.url, 'auditor');
    await page.click('[data-nav=audit]');
    await page.waitForSelector('text=appeal.resolve');
    expect(await page.textContent('main')).toContain('decision.create');
    await assertInert(page, incidents, 'audit');
    await page.goto(`${server.url}#/campaigns/${encodeURIComponent(CAMPAIGN_ID)}`);
    await page.waitForSelector('svg.graph');
    expect(await page.$('[data-form=action]')).toBeNull();
    expect(await apiStatus('auditor', '/v1/decisions', { method: 'POST', body: { target: { kind: 'account', account: 'acct_0003' }, action: 'block', reason: 'trying' } })).toBe(403);
    await page.context().close();
  }, 30_000);

  it('shows a peer only the intel we shared', async () => {
    const { page, incidents } = await watchedPage(browser);
    await login(page, server.url, 'peer');
    const nav = await attrs(page, '.nav a', 'data-nav');
    expect(nav).toEqual(['intel']);
    await page.waitForSelector('text=shared-main');
    expect(await page.textContent('main')).not.toContain('peer:acme');
    await page.waitForSelector(`text=${XSS_PAYLOADS[1] ?? ''}`);
    await assertInert(page, incidents, 'intel (peer)');
    await page.goto(`${server.url}#/accounts`);
    await page.waitForSelector('text=may not open');
    for (const path of ['/v1/accounts', '/v1/campaigns', '/v1/decisions', '/v1/appeals', '/v1/audit', '/v1/overview', '/v1/intel/objects?collection=peer:acme']) expect(await apiStatus('peer', path), path).toBe(403);
    await page.context().close();
  }, 30_000);

  it('would notice a payload that ran (the check itself can fail)', async () => {
    const { page, incidents } = await watchedPage(browser);
    await page.setContent(`<main>${XSS_PAYLOADS[1] ?? ''}</main>`);
    await page.waitForFunction('window.__xss === 2');
    await expect(assertInert(page, incidents, 'a vulnerable page')).rejects.toThrow(/payload executed/);
    await page.context().close();
  });

  it('lets only an admin allowlist', async () => {
    const body = { subject: 'account:acct_0005', owner: 'e2e', reason: 'partner eval', expires_at: '2030-01-01T00:00:00Z' };
    expect(await apiStatus('analyst', '/v1/allowlist', { method: 'POST', body })).toBe(403);
    const { page, incidents } = await watchedPage(browser);
    await login(page, server.url, 'admin');
    await page.click('[data-nav=allowlist]');
    await page.fill('input[aria-label=subject]', 'account:acct_0005');
    await page.fill('input[aria-label="allowlist reason"]', 'partner running an evaluation');
    await page.click('[data-form=allowlist] button[type=submit]');
    await page.waitForSelector('td >> text=account:acct_0005');
    await assertInert(page, incidents, 'allowlist');
    await page.context().close();
  }, 30_000);
});
