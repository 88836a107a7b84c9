import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/api/index.js';
import type { Decision } from '../../src/domain/index.js';
import { hashApiKey } from '../../src/gateway/index.js';
import {
  loadClusterConfig,
  startClusterRole,
  type ClusterConfig,
  type RunningRole,
} from '../../src/runtime/index.js';
import { createMemoryStore } from '../../src/store/memory/index.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { createRedisDecisionPublisher, redisKeys } from '../../src/store/redis/index.js';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.js';
import { privateRedis, type PrivateRedis } from '../support/private-redis.js';

const PG = process.env['STILLWATCH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const id = randomBytes(4).toString('hex');
const schema = `sw_test_redis_${id}`;
const STALE_MS = 3_000;
const TOKEN = `tok-${id}`;

let dir = '';
let redis: PrivateRedis;
let upstream: MockUpstream;
let config: ClusterConfig;
const roles: RunningRole[] = [];
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sw-redis-e2e-'));
  redis = await privateRedis();
  await redis.start();
  upstream = await startMockUpstream();
  const accounts = { 'sk-bad': 'acct-bad', 'sk-good': 'acct-good', 'sk-later': 'acct-later' };
  writeFileSync(
    join(dir, 'keys.json'),
    JSON.stringify({
      keys: Object.entries(accounts).map(([k, account]) => ({ key_sha256: hashApiKey(k), account })),
    }),
  );
  writeFileSync(
    join(dir, 'tokens.json'),
    JSON.stringify({ tokens: [{ name: 'ana', role: 'analyst', token_sha256: hashToken(TOKEN) }] }),
  );
  config = loadClusterConfig(undefined, {
    STILLWATCH_POSTGRES_URL: PG,
    STILLWATCH_POSTGRES_SCHEMA: schema,
    STILLWATCH_REDIS_URL: redis.url,
    STILLWATCH_REDIS_NS: `swt${id}`,
    STILLWATCH_REDIS_MAX_STALENESS_MS: String(STALE_MS),
    STILLWATCH_REDIS_REFRESH_MS: '100',
    STILLWATCH_API_PORT: '0',
    STILLWATCH_API_TOKENS_FILE: join(dir, 'tokens.json'),
    STILLWATCH_GATEWAY_PORT: '0',
    STILLWATCH_GATEWAY_UPSTREAM: upstream.url,
    STILLWATCH_GATEWAY_KEYS_FILE: join(dir, 'keys.json'),
    STILLWATCH_GATEWAY_EVENTS_FILE: join(dir, 'events.ndjson'),
  });
});

afterAll(async () => {
  for (const r of roles.reverse()) await r.stop().catch(() => undefined);
  await upstream?.close();
  await redis?.kill();
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

const hooks = { log: (line: string) => void logs.push(line) };

/** An active block on an account for an hour from `now`. */
function blockFor(account: string, decisionId: string, now: number): Decision {
  return {
    id: decisionId,
    target: { kind: 'account', account },
    action: 'block',
    reasons: ['test'],
    source: 'test',
    created_ts: now,
    expires_ts: now + 3_600_000,
    params: {},
    status: 'active',
  };
}

async function chat(gateway: RunningRole, key: string): Promise<number> {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function api(role: RunningRole, path: string, body: unknown): Promise<Response> {
  return fetch(`${role.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Polls until `check` returns true; the gateways are read from, never waited on, so state changes show up within a refresh. */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms\n${logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('gateways behind Redis in the scale-out mode', () => {
  it('enforce decisions from Redis, keep serving the last ones while Redis is down, then fail open or closed, and recover', async () => {
    // A decision already in PostgreSQL before any publisher runs: the api role's first resync carries it to Redis.
    const seed = await createPostgresStore({ connection: PG, schema, max: 1 });
    const now = Date.now();
    await seed.putDecision(blockFor('acct-bad', 'dec-bad', now));
    await seed.close();

    const apiRole = await startClusterRole('api', config, hooks);
    roles.push(apiRole);
    const open = await startClusterRole('gateway', config, hooks);
    roles.push(open);
    const closed = await startClusterRole(
      'gateway',
      { ...config, redis: { ...config.redis, failMode: 'closed' } },
      hooks,
    );
    roles.push(closed);

    for (const gw of [open, closed]) {
      expect(await chat(gw, 'sk-bad')).toBe(403);
      expect(await chat(gw, 'sk-good')).toBe(200);
      expect(await chat(gw, 'sk-later')).toBe(200);
    }

    // A decision made through the API reaches both gateways through PostgreSQL → Redis → pub/sub.
    const created = await api(apiRole, '/decisions', {
      target: { kind: 'account', account: 'acct-later' },
      action: 'block',
      reason: 'manual test block',
    });
    expect(created.status).toBe(201);
    const laterId = ((await created.json()) as { id: string }).id;
    for (const gw of [open, closed])
      await until('API decision enforced', async () => (await chat(gw, 'sk-later')) === 403);

    // Redis dies: within the staleness bound both gateways keep enforcing their last decisions.
    await redis.kill();
    const killedAt = Date.now();
    for (const gw of [open, closed]) {
      expect(await chat(gw, 'sk-bad')).toBe(403);
      expect(await chat(gw, 'sk-good')).toBe(200);
    }

    // PostgreSQL writes still succeed while Redis is down (the override lifts the API's block).
    const lifted = await api(apiRole, `/decisions/${laterId}/override`, {
      reason: 'lifted while redis is down',
    });
    expect(lifted.status).toBe(200);
    expect(await chat(open, 'sk-later')).toBe(403);
    expect(Date.now() - killedAt).toBeLessThan(STALE_MS);

    // Past the bound: fail open serves everyone (the block is no longer enforced), fail closed refuses everyone.
    await until('fail open after the staleness bound', async () => (await chat(open, 'sk-bad')) === 200);
    await until('fail closed after the staleness bound', async () => (await chat(closed, 'sk-good')) === 503);
    // The bound runs from the last successful read, at most one refresh (100 ms) before the kill.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(STALE_MS - 250);

    // Redis comes back empty; the api role's publisher resyncs it from PostgreSQL, and the gateways recover,
    // with the override made during the outage.
    await redis.start();
    for (const gw of [open, closed]) {
      await until(
        'recovered after Redis restart',
        async () => (await chat(gw, 'sk-bad')) === 403 && (await chat(gw, 'sk-good')) === 200,
        15_000,
      );
      expect(await chat(gw, 'sk-later')).toBe(200);
    }
    expect(logs.some((l) => l.includes('unavailable'))).toBe(true);
    expect(logs.some((l) => l.includes('resynced from PostgreSQL'))).toBe(true);
    expect(logs.join('\n')).not.toMatch(/password/i);
  });

  it('refuses a role without its required settings, naming the setting', async () => {
    await expect(
      startClusterRole('gateway', { ...config, gateway: { ...config.gateway, upstream: undefined } }),
    ).rejects.toThrow(/gateway\.upstream/);
    await expect(
      startClusterRole('api', { ...config, api: { ...config.api, tokensFile: undefined } }),
    ).rejects.toThrow(/api\.tokensFile/);
  });

  it('reports invalid Redis settings without echoing a URL that may hold a password', () => {
    expect(() => loadClusterConfig(undefined, { STILLWATCH_REDIS_URL: 'http://user:hunter2@host' })).toThrow(
      /redis\.url: expected a redis:\/\//,
    );
    expect(() =>
      loadClusterConfig(undefined, { STILLWATCH_REDIS_URL: 'http://user:hunter2@host' }),
    ).not.toThrow(/hunter2/);
    expect(() => loadClusterConfig(undefined, { STILLWATCH_REDIS_FAIL_MODE: 'sideways' })).toThrow(
      /redis\.failMode/,
    );
    expect(() => loadClusterConfig(undefined, { STILLWATCH_REDIS_MAX_STALENESS_MS: 'soon' })).toThrow(
      /redis\.maxStalenessMs/,
    );
  });
});

describe('stillwatch serve --mode cluster', () => {
  const CLI = join(process.cwd(), 'bin', 'stillwatch.js');
  const SHARED_REDIS = process.env['STILLWATCH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const ns = `swt${id}cli`;

  afterAll(async () => {
    const k = redisKeys(ns);
    const admin = new Redis(SHARED_REDIS);
    await admin.del(k.version, k.epoch, k.log, ...Object.values(k.hashes));
    admin.disconnect();
  });

  it('runs the gateway role from a YAML config with environment overrides, and stops on SIGTERM', async () => {
    const source = createMemoryStore();
    const now = Date.now();
    await source.putDecision(blockFor('acct-bad', 'cli-bad', now));
    const publisher = createRedisDecisionPublisher({ url: SHARED_REDIS, namespace: ns, source });
    await publisher.start();
    await publisher.close();
    const file = join(dir, 'cluster.yaml');
    writeFileSync(
      file,
      [
        'redis:',
        `  url: ${SHARED_REDIS}`,
        `  namespace: ${ns}`,
        '  failMode: closed',
        'gateway:',
        '  port: 1', // overridden below by STILLWATCH_GATEWAY_PORT
        `  upstream: ${upstream.url}`,
        `  keysFile: ${join(dir, 'keys.json')}`,
        `  eventsFile: ${join(dir, 'cli-events.ndjson')}`,
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--mode', 'cluster', '--role', 'gateway', '--config', file],
      {
        env: { ...process.env, CI: 'true', STILLWATCH_GATEWAY_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const started = JSON.parse(line) as { role: string; url: string };
      expect(started.role).toBe('gateway');
      const gw = { url: started.url } as RunningRole;
      expect(await chat(gw, 'sk-bad')).toBe(403);
      expect(await chat(gw, 'sk-good')).toBe(200);
      expect(stderr).toMatch(/stillwatch gateway: gateway: listening on .* fail closed/);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('exits 2 with a clear message when the role or a setting is missing or invalid', () => {
    const cli = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [CLI, 'serve', '--mode', 'cluster', ...args], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', ...env },
      });
    const noRole = cli([]);
    expect(noRole.status).toBe(2);
    expect(noRole.stderr).toMatch(
      /--role: required in cluster mode \(ingest, worker, correlator, api, gateway\)/,
    );
    expect(cli(['--role', 'cache']).stderr).toMatch(/unknown role cache/);
    const badUrl = cli(['--role', 'gateway'], { STILLWATCH_REDIS_URL: 'http://user:hunter2@host' });
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).toMatch(/invalid cluster config: redis\.url/);
    expect(badUrl.stderr).not.toMatch(/hunter2/);
    expect(cli(['--role', 'gateway']).stderr).toMatch(/gateway\.upstream/);
  });
});
