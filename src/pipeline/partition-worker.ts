import { parentPort } from 'node:worker_threads';
import { createAccountStage, loadCalibration, type AccountStage } from '../detectors/index.js';
import { DedupWindow, deadLetterOfBadLine, decodeLineBatch, type DeadLetter } from '../ingest/index.js';
import { applyRoutedLine } from './apply-line.js';
import {
  partitionOf,
  type Control,
  type FromWorker,
  type TickDrain,
  type ToWorker,
} from './partition-protocol.js';

/**
 * A partition worker: decodes, parses and validates its accounts' lines, keeps their
 * per-account state, and hands over its dirty sketches at every event-time tick without
 * waiting for the correlation pass (outside flags are merged by the main thread).
 */
const port = parentPort;
if (!port) throw new Error('partition-worker must run in a worker thread');

let stage: AccountStage | null = null;
let dedup = new DedupWindow();
let index = 0;
let partitions = 1;

const send = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  try {
    switch (m.t) {
      case 'init':
        index = m.index;
        partitions = m.partitions;
        stage = createAccountStage(
          m.calibration === null ? {} : { calibration: loadCalibration(m.calibration) },
        );
        dedup = new DedupWindow(m.dedupWindowMs);
        return;
      case 'batch':
        return handleBatch(stage!, m);
      case 'finish': {
        const results = [...stage!.results()].filter((r) => partitionOf(r.account, partitions) === index);
        return send({ t: 'results', results });
      }
    }
  } catch (e) {
    send({ t: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

function applyControl(s: AccountStage, c: Control, ticks: TickDrain[]): void {
  if (c.t === 'tick') ticks.push({ n: c.n, drain: s.drain(c.complete) });
  else if (c.t === 'account') s.onAccount(c.record);
  else s.onRelease(c.record);
}

function handleBatch(s: AccountStage, m: Extract<ToWorker, { t: 'batch' }>): void {
  const dead: DeadLetter[] = [];
  const ticks: TickDrain[] = [];
  const counts = { accepted: 0, duplicates: 0, events: 0 };
  const items = decodeLineBatch(m.bytes, m.lineNos);
  let ci = 0;
  for (let i = 0; i <= items.length; i++) {
    for (; ci < m.controls.length && m.controls[ci]!.at === i; ci++)
      applyControl(s, m.controls[ci]!.c, ticks);
    const item = items[i];
    if (item === undefined) break;
    if (item.kind === 'bad') dead.push(deadLetterOfBadLine(m.file, item));
    else applyRoutedLine(s, dedup, counts, m.file, item.line, item.text, dead);
  }
  send({ t: 'done', seq: m.seq, dead, ...counts, ticks: ticks.length ? JSON.stringify(ticks) : '' });
}
