import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import type { AccountResult } from '../src/domain/index.js';
import { createKeyResolver, createMemoryDecisionCache, createNdjsonFileSink, hashApiKey, startGateway } from '../src/gateway/index.js';
import { evaluatePolicy, loadPolicy } from '../src/policy/index.js';
import { startMockUpstream } from '../test/mock-upstream/index.js';

export const BENCH_KEY = 'sk-bench-0';

/** Synthetic accounts scored across the range, run through the default policy: the gateway's real decision load. */
function policyDecisions(accounts: number, nowTs: number) {
  const policy = loadPolicy(readFileSync('policies/default.yaml', 'utf8'), 'policies/default.yaml');
  const decisions = [];
  for (let i = 0; i < accounts; i++) {
    const result: AccountResult = {
      account: `acct-${i}`,
      // acct-0 (the bench caller) lands in "monitor": looked up, resolved, recorded, not refused.
      score: i === 0 ? 0.3 : (i * 7919) % 1000 / 1000,
      flagged: true,
      action: 'allow',
      campaign: null,
      first_flagged_ts: null,
      exchanges_before_flag: null,
      exchanges: 100 + (i % 500),
      first_seen_ts: nowTs - 86_400_000,
      last_seen_ts: nowTs,
      reasons: [],
    };
    decisions.push(...evaluatePolicy(policy, { kind: 'account', result, nowTs }));
  }
  for (let i = 0; i < 200; i++) {
    decisions.push({ id: `dec_cidr_${i}`, target: { kind: 'cidr' as const, value: `10.${i}.0.0/16` }, action: 'block' as const, reasons: ['bench'], source: 'bench', created_ts: nowTs, expires_ts: nowTs + 86_400_000, params: {}, status: 'active' as const });
  }
  return decisions;
}

export async function startBenchUpstream(): Promise<string> {
  const up = await startMockUpstream();
  return up.url;
}

export async function startBenchGateway(upstream: string, eventsPath: string): Promise<{ url: string; decisions: number }> {
  const nowTs = Date.now();
  const cache = createMemoryDecisionCache();
  const decisions = policyDecisions(10_000, nowTs);
  cache.replace({ decisions, allowlist: [], campaignMembers: {}, loadedTs: nowTs });
  const keys = createKeyResolver({ keys: Array.from({ length: 1000 }, (_, i) => ({ key_sha256: hashApiKey(`sk-bench-${i}`), account: `acct-${i}` })) });
  const sink = createNdjsonFileSink(eventsPath);
  const gw = await startGateway({ upstream, keys, cache, sink });
  return { url: gw.url, decisions: decisions.length };
}

/**
 * The floor any Node.js proxy pays on this machine: a `node:http` server relaying each request
 * through an undici pool (the gateway's own client stack) with no identification, policy,
 * parsing or recording. Measured beside the gateway in the same rounds, it separates the
 * platform's hop cost from the gateway's own work.
 */
export async function startBareProxy(upstream: string): Promise<string> {
  const pool = new Pool(upstream, { connections: 64, pipelining: 1 });
  const server = createServer({ noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = (req.rawHeaders[i] as string).toLowerCase();
        if (name !== 'host' && name !== 'connection' && name !== 'content-length') headers.push(name, req.rawHeaders[i + 1] as string);
      }
      pool.dispatch(
        { path: req.url ?? '/', method: req.method ?? 'GET', headers, body: Buffer.concat(chunks) },
        {
          // Its presence selects undici's controller-based handler API, as the gateway's client uses.
          onRequestStart() {},
          onResponseStart(_c, status, h) {
            const ct = h['content-type'];
            res.writeHead(status, typeof ct === 'string' ? { 'content-type': ct } : {});
          },
          onResponseData(_c, chunk) {
            res.write(chunk);
          },
          onResponseEnd() {
            res.end();
          },
          onResponseError() {
            if (res.headersSent) res.destroy();
            else res.writeHead(502).end();
          },
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
