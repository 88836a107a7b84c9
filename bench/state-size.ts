/**
 * Bytes of per-account state, measured on the heap with the real stage: N accounts fed
 * synthetic events through `onEvent`, heap measured after a full GC before and after.
 * Two shapes: "light" accounts (one request each, at 1M accounts) and "active" accounts
 * (hundreds of requests each, all sketches grown: samples, templates, hourly activity).
 * Prints one line per shape and ends with `RESULT {json}`.
 *
 *   npm run bench:state                      # 1,000,000 light, 20,000 active
 *   STATE_ACCOUNTS=200000 npm run bench:state
 */
import type { TrafficEvent } from '../src/domain/index.js';
import { createAccountStage } from '../src/detectors/index.js';

const LIGHT = Number(process.env['STATE_ACCOUNTS'] ?? 1_000_000);
const ACTIVE = Number(process.env['STATE_ACTIVE_ACCOUNTS'] ?? 20_000);
const ACTIVE_EVENTS = Number(process.env['STATE_ACTIVE_EVENTS'] ?? 300);
const T0 = Date.parse('2026-03-02T00:00:00Z');
const WORDS = 'the a model answer problem solve value number list table river city system data query step result'.split(' ');

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error('run node with --expose-gc');
  for (let i = 0; i < 4; i++) g();
}

/** JS heap plus typed-array backing stores (which V8 keeps outside the heap when they are large). */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function prompt(i: number, j: number): string {
  let s = j % 2 === 0 ? 'Please answer the following question carefully. ' : '';
  for (let k = 0; k < 30; k++) s += `${WORDS[(i * 31 + j * 17 + k * 7) % WORDS.length] ?? ''} `;
  return `${s}${(i * 7 + j) % 1000}?`;
}

function event(i: number, j: number, span: number): TrafficEvent {
  return {
    id: `a${i}-e${j}`,
    ts: T0 + j * span + (i % 1000),
    account: `acct_${i.toString(16).padStart(8, '0')}`,
    model: j % 5 === 0 ? 'm-large' : 'm-small',
    messages: [{ role: 'user', content: prompt(i, j) }],
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i + (j % 3)) & 255}`,
    asn: 64_500 + (i % 20),
    user_agent: `client/${i % 7}.${j % 3}`,
    tls_fp: `t13d_${i % 11}`,
    params: { max_tokens: 2048 },
    usage: { input_tokens: 60, output_tokens: 400 },
    latency_ms: 2000,
  };
}

function measure(accounts: number, eventsPerAccount: number, spanMs: number): { bytesPerAccount: number; seconds: number } {
  gc();
  const before = used();
  const started = performance.now();
  const stage = createAccountStage({});
  // Event-major order, as a real stream interleaves accounts.
  for (let j = 0; j < eventsPerAccount; j++) for (let i = 0; i < accounts; i++) stage.onEvent(event(i, j, spanMs));
  const seconds = (performance.now() - started) / 1000;
  gc();
  const after = used();
  if (stage.accountCount() !== accounts) throw new Error('account count mismatch');
  return { bytesPerAccount: Math.round((after - before) / accounts), seconds };
}

const light = measure(LIGHT, 1, 60_000);
process.stdout.write(`light:  ${LIGHT} accounts × 1 request:   ${light.bytesPerAccount} bytes/account (${light.seconds.toFixed(1)} s)\n`);
const active = measure(ACTIVE, ACTIVE_EVENTS, 20 * 60_000);
process.stdout.write(
  `active: ${ACTIVE} accounts × ${ACTIVE_EVENTS} requests over ${((ACTIVE_EVENTS * 20) / 60 / 24).toFixed(1)} days: ` +
    `${active.bytesPerAccount} bytes/account (${active.seconds.toFixed(1)} s)\n`,
);
const gib = (b: number): number => Math.round((b * 1_000_000) / 2 ** 30 * 100) / 100;
process.stdout.write(`at 1M accounts: light ${gib(light.bytesPerAccount)} GiB, active ${gib(active.bytesPerAccount)} GiB\n`);
process.stdout.write(
  `RESULT ${JSON.stringify({
    light_accounts: LIGHT,
    light_bytes_per_account: light.bytesPerAccount,
    active_accounts: ACTIVE,
    active_events_per_account: ACTIVE_EVENTS,
    active_bytes_per_account: active.bytesPerAccount,
    gib_at_1m_light: gib(light.bytesPerAccount),
    gib_at_1m_active: gib(active.bytesPerAccount),
  })}\n`,
);
