// Replays a recorded sketch stream (bench/correlate-record.mjs) through the correlation stage
// alone and scores it against the simulator's labels: hydra detection, grouping, benign
// accounts pulled in, share of each campaign's volume served before its first flag, and the
// highest score any benign-only group reached (the calibration of the flag threshold).
//
//   node bench/correlate-replay.mjs STREAM.ndjson LABELS.ndjson [--threshold X]
import { createReadStream, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createCorrelationStage } from '../dist/correlate/index.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { threshold: { type: 'string' }, verbose: { type: 'boolean' } } });
const [streamPath, labelsPath] = positionals;
const labels = new Map();
for (const line of readFileSync(labelsPath, 'utf8').split('\n')) {
  if (!line) continue;
  const l = JSON.parse(line);
  if (!l.end_user) labels.set(l.account, l);
}

const benignGroups = new Map();
const traces = new Map();
const observe = (group, signals, now) => {
  const kinds = new Set(group.map((a) => labels.get(a)?.label ?? 'benign'));
  if (kinds.has('attack')) {
    const c = labels.get(group.find((a) => labels.get(a)?.campaign))?.campaign;
    const t = traces.get(c) ?? [];
    if (t.length < 12) t.push(`${new Date(now).toISOString().slice(5, 16)} n=${group.length} s=${signals.score.toFixed(2)} b=${signals.behaviour.toFixed(2)} c=${signals.coordination.toFixed(2)} ex=${signals.exchanges}`);
    traces.set(c, t);
    return;
  }
  const key = [...group].sort()[0];
  const prev = benignGroups.get(key);
  if (!prev || signals.score > prev.score) {
    const personas = {};
    for (const a of group) personas[labels.get(a)?.persona ?? '?'] = (personas[labels.get(a)?.persona ?? '?'] ?? 0) + 1;
    benignGroups.set(key, { score: signals.score, size: group.length, personas, signals, now });
  }
};
const stage = createCorrelationStage({ observe, ...(values.threshold ? { flagThreshold: Number(values.threshold) } : {}) });

const history = new Map(); // account → [[now, exchanges], …]
const ownFlag = new Map();
const campaignFlag = new Map();
let stageMs = 0;
let passes = 0;
const rl = createInterface({ input: createReadStream(streamPath), crlfDelay: Infinity });
for await (const line of rl) {
  if (!line) continue;
  const { now, sketches } = JSON.parse(line);
  for (const s of sketches) {
    const h = history.get(s.account) ?? [];
    h.push([now, s.exchanges]);
    history.set(s.account, h);
    if (s.first_flagged_ts !== null && !ownFlag.has(s.account)) ownFlag.set(s.account, s.first_flagged_ts);
  }
  const t = performance.now();
  const flags = stage.update(sketches, now);
  stageMs += performance.now() - t;
  passes += 1;
  for (const f of flags) if (!campaignFlag.has(f.account)) campaignFlag.set(f.account, now);
}
const campaigns = stage.campaigns();

const exchangesAt = (account, ts) => {
  let ex = 0;
  for (const [now, e] of history.get(account) ?? []) if (now <= ts) ex = e;
  return ex;
};
const finalEx = (account) => (history.get(account) ?? []).at(-1)?.[1] ?? 0;

const truth = new Map();
for (const [account, l] of labels) if (l.campaign) truth.set(l.campaign, [...(truth.get(l.campaign) ?? []), { account, persona: l.persona }]);
const rows = [];
for (const [campaign, members] of [...truth].sort()) {
  const flagTimes = members.map((m) => Math.min(ownFlag.get(m.account) ?? Infinity, campaignFlag.get(m.account) ?? Infinity));
  const first = Math.min(...flagTimes);
  const flagged = members.filter((_, i) => flagTimes[i] < Infinity);
  const pred = new Map();
  for (const m of flagged) {
    const p = stage.campaignOf(m.account) ?? `solo:${m.account}`;
    pred.set(p, (pred.get(p) ?? 0) + 1);
  }
  const volume = members.reduce((s, m) => s + finalEx(m.account), 0);
  const before = first === Infinity ? volume : members.reduce((s, m) => s + exchangesAt(m.account, first), 0);
  rows.push({
    campaign, persona: members[0].persona, size: members.length, seen: members.filter((m) => history.has(m.account)).length,
    flagged: flagged.length, by_campaign: members.filter((m) => campaignFlag.has(m.account)).length,
    largest_share: flagged.length ? Math.max(...pred.values()) / flagged.length : 0, volume, before_share: volume ? before / volume : 0,
  });
}
let benignIn = 0;
const benignSample = [];
for (const [account, l] of labels) {
  if (l.label === 'benign' && stage.campaignOf(account)) {
    benignIn += 1;
    if (benignSample.length < 5) benignSample.push(`${account}(${l.persona})`);
  }
}
console.log('campaign      persona              size seen flagged by_camp largest  volume before');
for (const r of rows) {
  console.log(`${r.campaign.padEnd(13)} ${r.persona.padEnd(20)} ${String(r.size).padStart(4)} ${String(r.seen).padStart(4)} ${String(r.flagged).padStart(7)} ${String(r.by_campaign).padStart(7)} ${(100 * r.largest_share).toFixed(0).padStart(6)}% ${String(r.volume).padStart(7)} ${(100 * r.before_share).toFixed(2).padStart(6)}%`);
}
const top = [...benignGroups.values()].sort((a, b) => b.score - a.score).slice(0, values.verbose ? 15 : 5);
console.log('highest-scoring benign-only groups:');
for (const g of top) console.log(`  ${g.score.toFixed(3)} size ${g.size} ${JSON.stringify(g.personas)} beh ${g.signals.behaviour.toFixed(2)} coord ${g.signals.coordination.toFixed(2)} est ${g.signals.established.toFixed(2)}`);
if (values.verbose) for (const [c, t] of traces) console.log(c, '\n   ' + t.join('\n   '));
const hydras = rows.filter((r) => r.persona === 'hydra');
const result = {
  passes, stage_s: +(stageMs / 1000).toFixed(2), campaigns: campaigns.length,
  hydras: hydras.length, hydras_detected: hydras.filter((r) => r.flagged > 0).length,
  min_largest_share: Math.min(...rows.filter((r) => r.flagged > 0).map((r) => r.largest_share)),
  max_hydra_before_share: Math.max(...hydras.map((r) => r.before_share)),
  benign_in_campaigns: benignIn, benign_sample: benignSample,
  max_benign_group_score: top[0]?.score ?? 0,
};
console.log(`RESULT ${JSON.stringify(result)}`);
