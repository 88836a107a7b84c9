/**
 * Added latency of the gateway: the same requests sent directly to the mock upstream and
 * through the gateway (policy engine on: 10k policy decisions loaded, caller looked up,
 * exchange recorded to NDJSON). Upstream and gateway each run in their own worker thread;
 * the client runs here. Rounds alternate direct/gateway so background load hits both alike.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BENCH_KEY, startBareProxy, startBenchGateway, startBenchUpstream } from './gateway-servers.js';

// 40 rounds (4,000 requests each way): on a shared 2-core machine 20 left the p99 swinging by milliseconds between runs.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const PER_ROUND = Number(process.env['BENCH_PER_ROUND'] ?? 100);
const STREAM_PER_ROUND = Number(process.env['BENCH_STREAM_PER_ROUND'] ?? 20);
const LOAD_SECONDS = Number(process.env['BENCH_LOAD_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 8);
/**
 * `threads` (default): upstream and gateway in separate worker threads, as separate processes
 * would be. `shared`: both in one worker, so the gateway's own cost is measured without the
 * extra cross-thread wake-up, which dominates on a heavily loaded machine. `inline`: client,
 * gateway and upstream on this thread (no thread wake-ups at all; the client shares the CPU).
 */
const LAYOUT = process.env['BENCH_LAYOUT'] === 'shared' ? 'shared' : process.env['BENCH_LAYOUT'] === 'inline' ? 'inline' : 'threads';
const PROMPT = 'Summarise the following passage in three sentences and list the key entities. '.repeat(6);
const BODY = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: PROMPT }], max_tokens: 256 });
const STREAM_BODY = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: PROMPT }], stream: true });


function activeMs(worker: Worker): Promise<number> {
  return new Promise((resolve) => {
    worker.once('message', (m: { activeMs: number }) => resolve(m.activeMs));
    worker.postMessage('elu');
  });
}

function startWorker(data: Record<string, unknown>): Promise<{ url: string; decisions: number; upstream?: string; bare?: string; worker: Worker }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { url: string; decisions: number; upstream?: string; bare?: string }) => resolve({ ...m, worker }));
    worker.once('error', reject);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Streams are paced (1 ms between events, as a model emits tokens) so that time to first
 * token measures the first event, not how long it takes to push a whole burst through.
 */
const PACED = { 'x-mock-chunk-delay-ms': '1' };

/** One request; resolves with [total ms, first-byte ms]. */
function timed(base: string, body: string): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let first = 0;
    const req = request(`${base}/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}`, 'content-length': Buffer.byteLength(body), ...(body === STREAM_BODY ? PACED : {}) } }, (res) => {
      res.on('data', () => {
        if (first === 0) first = Number(process.hrtime.bigint() - start) / 1e6;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        else resolve([Number(process.hrtime.bigint() - start) / 1e6, first]);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

type Target = 'direct' | 'bare' | 'gateway';

/** Rounds rotate which target goes first so that background load and warm-up hit all alike. */
async function interleaved(bases: Record<Target, string>): Promise<Record<string, number[]>> {
  const targets: Target[] = ['direct', 'bare', 'gateway'];
  const out: Record<string, number[]> = {};
  for (const t of targets) {
    out[t] = [];
    out[`${t}Ttft`] = [];
  }
  for (let i = 0; i < 50; i++) for (const t of targets) await timed(bases[t], BODY);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < targets.length; k++) {
      const which = targets[(r + k) % targets.length] as Target;
      for (let i = 0; i < PER_ROUND; i++) out[which]?.push((await timed(bases[which], BODY))[0]);
      for (let i = 0; i < STREAM_PER_ROUND; i++) out[`${which}Ttft`]?.push((await timed(bases[which], STREAM_BODY))[1]);
    }
  }
  return out;
}

interface CannonResult { latency: { p50: number; p99: number; average: number }; requests: { average: number }; non2xx: number; errors: number }

async function load(base: string): Promise<CannonResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<CannonResult>;
  return autocannon({
    url: `${base}/v1/chat/completions`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` },
    body: BODY,
  });
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  rmSync('out/bench/gateway-events.ndjson', { force: true });
  mkdirSync('out/bench', { recursive: true });
  let up: { url: string; worker: Worker | null };
  let gw: { url: string; decisions: number; worker: Worker | null };
  let bare: { url: string; worker: Worker | null };
  if (LAYOUT === 'inline') {
    const upUrl = await startBenchUpstream();
    up = { url: upUrl, worker: null };
    gw = { ...(await startBenchGateway(upUrl, 'out/bench/gateway-events.ndjson')), worker: null };
    bare = { url: await startBareProxy(upUrl), worker: null };
  } else if (LAYOUT === 'shared') {
    const both = (await startWorker({ role: 'both' }));
    gw = both;
    up = { url: both.upstream ?? '', worker: both.worker };
    bare = { url: both.bare ?? '', worker: both.worker };
  } else {
    up = await startWorker({ role: 'upstream' });
    gw = await startWorker({ role: 'gateway', upstream: up.url });
    bare = await startWorker({ role: 'bare', upstream: up.url });
  }
  const active0 = gw.worker ? await activeMs(gw.worker) : NaN;
  const s = await interleaved({ direct: up.url, bare: bare.url, gateway: gw.url });
  // Raw samples in request order (for looking at where the tail comes from).
  if (process.env['BENCH_SAMPLES']) writeFileSync(process.env['BENCH_SAMPLES'], JSON.stringify(s));
  const activeSpent = (gw.worker ? await activeMs(gw.worker) : NaN) - active0;
  const direct = s['direct'] ?? [];
  const via = s['gateway'] ?? [];
  const floor = s['bare'] ?? [];
  const seq = {
    direct_p50_ms: r3(pct(direct, 50)), direct_p99_ms: r3(pct(direct, 99)),
    gateway_p50_ms: r3(pct(via, 50)), gateway_p99_ms: r3(pct(via, 99)),
    added_p50_ms: r3(pct(via, 50) - pct(direct, 50)), added_p99_ms: r3(pct(via, 99) - pct(direct, 99)),
    bare_proxy_p50_ms: r3(pct(floor, 50)), bare_proxy_p99_ms: r3(pct(floor, 99)),
    bare_added_p50_ms: r3(pct(floor, 50) - pct(direct, 50)), bare_added_p99_ms: r3(pct(floor, 99) - pct(direct, 99)),
    /** Requests over 2 ms, each way: how often the tail is hit, not only how far it reaches. */
    direct_over_2ms: direct.filter((x) => x > 2).length, bare_over_2ms: floor.filter((x) => x > 2).length, gateway_over_2ms: via.filter((x) => x > 2).length,
    requests_each: direct.length,
    /**
     * Time the gateway thread's event loop was not idle, per proxied request (threads layout; includes the
     * upstream's in shared). Wall time, not CPU time: on a loaded machine it includes time the thread waited to run.
     */
    gateway_thread_busy_ms_per_request: r3(activeSpent / (via.length + (s['gatewayTtft'] ?? []).length)),
  };
  const ttft = {
    direct_p50_ms: r3(pct(s['directTtft'] ?? [], 50)), gateway_p50_ms: r3(pct(s['gatewayTtft'] ?? [], 50)),
    added_p50_ms: r3(pct(s['gatewayTtft'] ?? [], 50) - pct(s['directTtft'] ?? [], 50)),
    added_p99_ms: r3(pct(s['gatewayTtft'] ?? [], 99) - pct(s['directTtft'] ?? [], 99)),
    bare_added_p50_ms: r3(pct(s['bareTtft'] ?? [], 50) - pct(s['directTtft'] ?? [], 50)),
    streams_each: (s['directTtft'] ?? []).length,
  };
  console.log(`sequential (keep-alive, ${seq.requests_each} requests each, ${ROUNDS} interleaved rounds)`);
  console.log(`  direct  p50 ${seq.direct_p50_ms} ms  p99 ${seq.direct_p99_ms} ms`);
  console.log(`  gateway p50 ${seq.gateway_p50_ms} ms  p99 ${seq.gateway_p99_ms} ms`);
  console.log(`  bare    p50 ${seq.bare_proxy_p50_ms} ms  p99 ${seq.bare_proxy_p99_ms} ms   (node:http + undici relay, no logic)`);
  console.log(`  added   p50 ${seq.added_p50_ms} ms  p99 ${seq.added_p99_ms} ms   (target ≤ 0.5 / ≤ 2)`);
  console.log(`  bare proxy added p50 ${seq.bare_added_p50_ms} ms  p99 ${seq.bare_added_p99_ms} ms`);
  console.log(`  over 2 ms: direct ${seq.direct_over_2ms}, bare ${seq.bare_over_2ms}, gateway ${seq.gateway_over_2ms} of ${seq.requests_each} each`);
  console.log(`  ${LAYOUT === 'threads' ? 'gateway' : 'gateway+upstream'} thread busy ${seq.gateway_thread_busy_ms_per_request} ms per request`);
  console.log(`streaming time to first token: added p50 ${ttft.added_p50_ms} ms  p99 ${ttft.added_p99_ms} ms (bare proxy p50 ${ttft.bare_added_p50_ms} ms)`);
  const loadDirect = await load(up.url);
  const loadGateway = await load(gw.url);
  const loadDirect2 = await load(up.url);
  const cannon = {
    connections: CONNECTIONS, seconds: LOAD_SECONDS,
    direct_p50_ms: Math.min(loadDirect.latency.p50, loadDirect2.latency.p50), direct_p99_ms: Math.min(loadDirect.latency.p99, loadDirect2.latency.p99),
    gateway_p50_ms: loadGateway.latency.p50, gateway_p99_ms: loadGateway.latency.p99,
    direct_rps: Math.round(Math.max(loadDirect.requests.average, loadDirect2.requests.average)), gateway_rps: Math.round(loadGateway.requests.average),
    gateway_non2xx: loadGateway.non2xx, gateway_errors: loadGateway.errors,
  };
  console.log(`autocannon ${CONNECTIONS} connections × ${LOAD_SECONDS}s: direct p50 ${cannon.direct_p50_ms} ms p99 ${cannon.direct_p99_ms} ms ${cannon.direct_rps} req/s; gateway p50 ${cannon.gateway_p50_ms} ms p99 ${cannon.gateway_p99_ms} ms ${cannon.gateway_rps} req/s`);
  await Promise.all([...new Set([up.worker, gw.worker, bare.worker])].map((w) => (w ? w.terminate() : Promise.resolve(0))));
  if (LAYOUT === 'inline') setTimeout(() => process.exit(0), 100).unref();
  console.log(`RESULT ${JSON.stringify({ bench: 'gateway', layout: LAYOUT, load_average_1m_start: loadAtStart, load_average_1m: loadavg()[0], decisions_loaded: gw.decisions, sequential: seq, ttft, load: cannon, target: { added_p50_ms: 0.5, added_p99_ms: 2 }, met: seq.added_p50_ms <= 0.5 && seq.added_p99_ms <= 2 })}`);
}

if (!isMainThread) {
  const { role, upstream } = workerData as { role: string; upstream?: string };
  if (role === 'upstream') parentPort?.postMessage({ url: await startBenchUpstream(), decisions: 0 });
  else if (role === 'bare') parentPort?.postMessage({ url: await startBareProxy(upstream ?? ''), decisions: 0 });
  else if (role === 'gateway') parentPort?.postMessage(await startBenchGateway(upstream ?? '', 'out/bench/gateway-events.ndjson'));
  else {
    const up = await startBenchUpstream();
    const gw = await startBenchGateway(up, 'out/bench/gateway-events.ndjson');
    parentPort?.postMessage({ ...gw, upstream: up, bare: await startBareProxy(up) });
  }
  // Event-loop active time of this thread, asked for around the measured phase.
  parentPort?.on('message', () => parentPort?.postMessage({ activeMs: performance.eventLoopUtilization().active }));
} else {
  await main();
}
