import { parentPort } from 'node:worker_threads';
import { createAccountStage, loadCalibration, type AccountStage } from '../detectors/index.js';
import { DedupWindow, deadLetterOf, validateCandidate, type DeadLetter } from '../ingest/index.js';
import { partitionOf, type FromWorker, type ToWorker } from './partition-protocol.js';

/**
 * A partition worker: parses and validates its accounts' lines, keeps their per-account
 * state, and stops at every event-time tick until the main thread has correlated.
 */
const port = parentPort;
if (!port) throw new Error('partition-worker must run in a worker thread');

let stage: AccountStage | null = null;
let dedup = new DedupWindow();
let index = 0;
let partitions = 1;
const queue: ToWorker[] = [];
let paused = false;

const send = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker & { partitions?: number }) => {
  try {
    if (m.t === 'init') {
      index = m.index;
      partitions = m.partitions ?? 1;
      stage = createAccountStage(
        m.calibration === null ? {} : { calibration: loadCalibration(m.calibration) },
      );
      dedup = new DedupWindow(m.dedupWindowMs);
      return;
    }
    if (m.t === 'flags') {
      for (const f of m.flags) stage?.flagExternally(f.account, m.now, f.finding);
      paused = false;
    } else queue.push(m);
    pump();
  } catch (e) {
    send({ t: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

function pump(): void {
  while (!paused && queue.length > 0) handle(queue.shift()!);
}

function handle(m: ToWorker): void {
  const s = stage!;
  switch (m.t) {
    case 'lines':
      return handleLines(s, m.seq, m.file, m.lines, m.lineNos);
    case 'account':
      return s.onAccount(m.record);
    case 'release':
      return s.onRelease(m.record);
    case 'tick':
      paused = true;
      return send({ t: 'sketches', now: m.now, sketches: s.drainDirtySketches() });
    case 'finish': {
      const results = [...s.results()].filter((r) => partitionOf(r.account, partitions) === index);
      return send({ t: 'results', results, sketches: s.drainDirtySketches() });
    }
    case 'init':
    case 'flags':
      return;
  }
}

function handleLines(s: AccountStage, seq: number, file: string, lines: string[], lineNos: number[]): void {
  const dead: DeadLetter[] = [];
  let accepted = 0;
  let duplicates = 0;
  let events = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const line = lineNos[i]!;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      dead.push(
        deadLetterOf(
          file,
          line,
          'ndjson',
          { reason: `malformed JSON: ${e instanceof Error ? e.message : String(e)}` },
          text,
        ),
      );
      continue;
    }
    const v = validateCandidate(value);
    if (!v.ok) {
      dead.push(deadLetterOf(file, line, 'ndjson', v.problem, text));
      continue;
    }
    const r = v.record;
    if (r.kind !== 'event') {
      // Routed here only when the main thread could not tell the record type; apply it locally.
      accepted++;
      if (r.kind === 'account') s.onAccount(r.account);
      else s.onRelease(r.release);
      continue;
    }
    if (dedup.seen(r.event.id, r.event.ts)) {
      duplicates++;
      continue;
    }
    accepted++;
    events++;
    s.onEvent(r.event);
  }
  send({ t: 'done', seq, dead, accepted, duplicates, events });
}
