// Correlation-stage benchmark: a synthetic population of per-account sketches standing for
// N accounts and E events over D days of event time, delivered to the stage the way the
// pipeline does (the changed accounts every 5 minutes of event time). Measures the stage alone:
// time inside update() and campaigns(), and peak memory. Ends with one `RESULT {json}` line.
//
//   npm run bench:correlate -- --accounts 100000 --events 5000000 --days 7   (bundled with esbuild from src/)
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCorrelationStage } from '../src/correlate/index.js';
import { mulberry32 } from '../src/features/index.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    events: { type: 'string', default: '5000000' },
    days: { type: 'string', default: '7' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Number(values.accounts);
const E = Number(values.events);
const DAYS = Number(values.days);
const STEP = 300_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5);
const WINDOWS = Math.round((DAYS * DAY) / STEP);

const r = mulberry32(Number(values.seed));
const pick = (xs) => xs[Math.floor(r() * xs.length)];

const RES_ASNS = Array.from({ length: 30 }, (_, i) => String(7000 + i));
const CLOUD_ASNS = ['16509', '14618', '15169', '8075', '14061', '24940'];
const SDK = ['OpenAI/Python 1.54.3', 'OpenAI/Python 1.57.0', 'OpenAI/NodeJS 4.71.0', 'python-requests/2.32.3', 'Mozilla/5.0 Chrome/131'];
const TLS = ['t13d_py', 't13d_node', 't13d_chrome', 't13d_safari', 't13d_go'];
const POPULAR_TEMPLATES = Array.from({ length: 60 }, (_, i) => [`pop${i}a`, `pop${i}b`]);

/** Static profile of every account: the keys it will show and how it behaves. */
function population() {
  const accounts = [];
  const groups = { hydra: 0, campus: 0, enterprise: 0 };
  const add = (p) => accounts.push({ id: `a${String(accounts.length).padStart(6, '0')}`, ...p });
  const hydraN = Math.round(N * 0.05);
  for (let h = 0; accounts.length < hydraN; h++) {
    groups.hydra += 1;
    const size = 200 + Math.floor(r() * 800);
    const net = `45.${h}.${Math.floor(r() * 250)}`;
    const born = T0 + Math.floor(r() * (DAYS - 2) * DAY);
    for (let i = 0; i < size && accounts.length < hydraN; i++) {
      add({
        kind: 'hydra', start: born, ips: [`${net}.${Math.floor(r() * 250)}`, `${net}.${Math.floor(r() * 250)}`], subnet: net,
        asn: pick(CLOUD_ASNS), tls: `t13d_h${h}`, ua: 'Go-http-client/2.0', created: born - 2 * HOUR + Math.floor(r() * HOUR),
        payment: `pf-h${h}-${i % 5}`, email: 'proton.me', org: null, verified: false,
        bands: [`h${h}a`, `h${h}b`, `h${h}c`], signals: { reasoning_share: 0.7 + 0.2 * r(), grader_share: 0.3 }, weight: 1,
      });
    }
  }
  while (accounts.length < hydraN + N * 0.05) {
    groups.campus += 1;
    const ip = `128.${groups.campus}.0.1`;
    for (let i = 0; i < 250; i++) {
      add({
        kind: 'campus', ips: [ip], subnet: `128.${groups.campus}.0`, asn: String(100 + groups.campus), tls: pick(TLS), ua: pick(SDK),
        created: T0 - Math.floor(r() * 120 * DAY), payment: null, email: `u${groups.campus}.edu`, org: null, verified: false,
        bands: i % 5 === 0 ? [`hw${groups.campus}a`, `hw${groups.campus}b`] : [`own${accounts.length}`], signals: { reasoning_share: 0.3 * r() }, weight: 0.5,
      });
    }
  }
  while (accounts.length < hydraN + N * 0.1) {
    groups.enterprise += 1;
    const g = groups.enterprise;
    for (let i = 0; i < 50; i++) {
      add({
        kind: 'enterprise', ips: [`198.${g % 256}.${Math.floor(g / 256)}.7`], subnet: `198.${g % 256}.${Math.floor(g / 256)}`, asn: String(60000 + g),
        tls: 't13d_py', ua: 'OpenAI/Python 1.54.3', created: T0 - 400 * DAY + i * DAY, payment: `pf-org${g}`, email: `org${g}.com`, org: `org${g}`,
        verified: true, bands: [`ent${g}a`, `ent${g}b`], signals: { reasoning_share: 0.1, template_coherence: 0.9 }, weight: 4,
      });
    }
  }
  while (accounts.length < N) {
    const cloudy = r() < 0.3;
    const sub = cloudy ? `3.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}` : `${70 + Math.floor(r() * 60)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
    add({
      kind: 'user', ips: [`${sub}.${Math.floor(r() * 256)}`, `${sub}.${Math.floor(r() * 256)}`], subnet: sub, asn: cloudy ? pick(CLOUD_ASNS) : pick(RES_ASNS),
      tls: pick(TLS), ua: pick(SDK), created: T0 - Math.floor(r() * 700 * DAY), payment: r() < 0.7 ? `pf-u${accounts.length}` : null,
      email: r() < 0.6 ? 'gmail.com' : `d${Math.floor(r() * 5000)}.com`, org: null, verified: r() < 0.3,
      bands: r() < 0.2 ? pick(POPULAR_TEMPLATES) : [`own${accounts.length}`], signals: { reasoning_share: 0.4 * r() }, weight: 1,
    });
  }
  return { accounts, groups };
}

/** Delivery schedule: each account's events fall in a few sessions; each session window delivers its sketch. */
function schedule(accounts) {
  const totalWeight = accounts.reduce((s, a) => s + a.weight, 0);
  const byWindow = Array.from({ length: WINDOWS }, () => []);
  let deliveries = 0;
  for (const [idx, a] of accounts.entries()) {
    a.events = Math.max(1, Math.round((E * a.weight) / totalWeight * (0.3 + 1.4 * r())));
    const first = a.start !== undefined ? Math.floor((a.start - T0) / STEP) : Math.floor(r() * WINDOWS);
    const sessions = Math.min(a.events, 1 + Math.floor(a.events / 8));
    const spread = a.kind === 'hydra' ? 12 * 24 : WINDOWS;
    const wins = new Set();
    for (let s = 0; s < sessions; s++) wins.add(Math.min(WINDOWS - 1, first + Math.floor(r() * r() * spread)));
    a.windows = [...wins].sort((x, y) => x - y);
    for (const w of a.windows) byWindow[w].push(idx);
    deliveries += a.windows.length;
  }
  return { byWindow, deliveries };
}

function sketchOf(a, w, k) {
  const frac = (k + 1) / a.windows.length;
  const now = T0 + (w + 1) * STEP;
  const firstTs = T0 + a.windows[0] * STEP;
  const hours = Math.max(1, Math.ceil((now - firstTs) / HOUR));
  const ex = Math.max(1, Math.round(a.events * frac));
  return {
    account: a.id, exchanges: ex, first_ts: firstTs, last_ts: now, score: Math.min(1, 0.1 + (a.signals.reasoning_share ?? 0) * 0.3),
    signals: a.signals,
    infra: { ips: a.ips.slice(0, k === 0 ? 1 : 2), subnets: [a.subnet], asns: [a.asn], tls_fps: [a.tls], user_agents: [a.ua] },
    signup: { created: a.created, signup_ip: a.ips[0], payment_fp: a.payment, email_domain: a.email, org: a.org, verified: a.verified, tier: null },
    template_bands: a.bands, template_minhash: [],
    activity: Array.from({ length: Math.min(hours, 48) }, (_, i) => (i % 3 === 0 ? Math.round(ex / hours) : 0)),
    first_flagged_ts: null,
  };
}

const { accounts, groups } = population();
const { byWindow, deliveries } = schedule(accounts);
const events = accounts.reduce((s, a) => s + a.events, 0);
console.log(`population: ${accounts.length} accounts (${groups.hydra} hydras, ${groups.campus} campuses, ${groups.enterprise} orgs), ` +
  `${events} events, ${deliveries} sketch deliveries over ${WINDOWS} updates`);

globalThis.gc?.();
const baseHeap = process.memoryUsage().heapUsed;
const stage = createCorrelationStage();
const cursor = new Map();
let stageMs = 0;
let peakHeap = 0;
let flagged = 0;
let maxUpdateMs = 0;
for (let w = 0; w < WINDOWS; w++) {
  const batch = byWindow[w].map((idx) => {
    const a = accounts[idx];
    const k = cursor.get(idx) ?? 0;
    cursor.set(idx, k + 1);
    return sketchOf(a, w, k);
  });
  const t = performance.now();
  flagged += stage.update(batch, T0 + (w + 1) * STEP).length;
  const dt = performance.now() - t;
  stageMs += dt;
  maxUpdateMs = Math.max(maxUpdateMs, dt);
  if (w % 200 === 0) {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    console.log(`  update ${w}/${WINDOWS}: stage ${(stageMs / 1000).toFixed(1)} s, flagged ${flagged}, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
  }
}
const t = performance.now();
const campaigns = stage.campaigns();
const campaignsMs = performance.now() - t;
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
globalThis.gc?.();
const retainedHeap = process.memoryUsage().heapUsed - baseHeap;

let hydraHit = 0;
let benignIn = 0;
const hydraCampaigns = new Map();
for (const a of accounts) {
  const c = stage.campaignOf(a.id);
  if (a.kind === 'hydra' && c) hydraHit += 1;
  if (a.kind !== 'hydra' && c) benignIn += 1;
}
for (const c of campaigns) hydraCampaigns.set(c.id, c.size);
const result = {
  bench: 'correlate',
  accounts: accounts.length,
  events,
  updates: WINDOWS,
  sketch_deliveries: deliveries,
  stage_s: +(stageMs / 1000).toFixed(2),
  campaigns_s: +(campaignsMs / 1000).toFixed(2),
  max_update_ms: +maxUpdateMs.toFixed(1),
  us_per_delivery: +((stageMs * 1000) / deliveries).toFixed(1),
  peak_heap_mib: +(peakHeap / 2 ** 20).toFixed(0),
  retained_heap_mib: +(retainedHeap / 2 ** 20).toFixed(0),
  peak_rss_mib: +(process.resourceUsage().maxRSS / 1024).toFixed(0),
  campaigns: campaigns.length,
  hydra_accounts: accounts.filter((a) => a.kind === 'hydra').length,
  hydra_accounts_in_campaigns: hydraHit,
  benign_accounts_in_campaigns: benignIn,
};
console.log(`stage: ${result.stage_s} s for ${deliveries} deliveries (${result.us_per_delivery} µs each), peak heap ${result.peak_heap_mib} MiB, peak RSS ${result.peak_rss_mib} MiB`);
console.log(`campaigns: ${campaigns.length}; hydra accounts in campaigns ${hydraHit}/${result.hydra_accounts}; benign accounts in campaigns ${benignIn}`);
console.log(`RESULT ${JSON.stringify(result)}`);
