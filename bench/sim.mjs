// Simulator throughput: generates labelled traffic with `runSim` from the built code and reports
// events per second (wall and CPU), bytes per event and peak heap. Ends with one `RESULT {json}` line.
//
//   npm run build && npm run bench:sim -- --scale 1 --days 7 --seed 1 --evasion 0
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpora, resolveCorporaDir, runSim } from '../dist/sim/index.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    days: { type: 'string', default: '7' },
    seed: { type: 'string', default: '1' },
    evasion: { type: 'string', default: '0' },
    keep: { type: 'boolean', default: false },
  },
});
const out = mkdtempSync(join(tmpdir(), 'bench-sim-'));
const t0 = performance.now();
const corpora = loadCorpora(resolveCorporaDir());
const loadS = (performance.now() - t0) / 1000;
let peakHeap = 0;
const probe = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
const cpu0 = process.cpuUsage();
const s = runSim(
  {
    seed: Number(values.seed),
    scale: Number(values.scale),
    days: Number(values.days),
    evasion: Number(values.evasion),
    out,
  },
  { corpora, onProgress: probe, progressEvery: 20_000 },
);
const cpu = process.cpuUsage(cpu0);
probe();
const cpuS = (cpu.user + cpu.system) / 1e6;
const result = {
  events: s.events,
  attack_share: +(s.attackEvents / s.events).toFixed(3),
  accounts: s.accounts,
  attack_accounts: s.attackAccounts,
  campaigns: s.campaigns,
  corpora_load_s: +loadS.toFixed(2),
  generate_s: +s.seconds.toFixed(2),
  events_per_s_wall: s.eventsPerSecond,
  events_per_s_cpu: Math.round(s.events / cpuS),
  bytes_per_event: Math.round(s.bytes / s.records),
  peak_heap_mb: Math.round(peakHeap / 2 ** 20),
};
console.log(
  `scale ${values.scale}, ${values.days} days, seed ${values.seed}, evasion ${values.evasion}: ${s.events} events in ${s.seconds.toFixed(1)} s`,
);
for (const [k, v] of Object.entries(s.personas))
  console.log(
    `  ${k.padEnd(26)} ${String(v.accounts || v.endUsers).padStart(6)} ${v.accounts ? 'accounts ' : 'end users'} ${String(v.events).padStart(8)} events`,
  );
if (!values.keep) rmSync(out, { recursive: true, force: true });
else console.log(`kept ${out}`);
console.log(`RESULT ${JSON.stringify(result)}`);
