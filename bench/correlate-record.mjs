// Records the stream of sketch batches the per-account stage hands the correlation stage
// (one line per pass: {now, sketches}), by driving the real ingest and per-account stage over
// simulated events the way the in-process pipeline does. The recording lets the correlation
// stage be replayed, tuned and measured on its own (bench/correlate-replay.mjs).
//
//   node bench/correlate-record.mjs EVENTS.ndjson OUT.ndjson [--every-min 5]
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createAccountStage } from '../dist/detectors/index.js';
import { Ingestor } from '../dist/ingest/index.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'every-min': { type: 'string', default: '5' } } });
const [input, output] = positionals;
if (!input || !output) throw new Error('usage: correlate-record.mjs EVENTS.ndjson OUT.ndjson');
const ingestor = new Ingestor([input], { onDeadLetter: () => {} });
const stage = createAccountStage();
const every = Number(values['every-min']) * 60_000;
// Same boundaries as the pipeline's pass clock: fixed multiples of the interval after the first event.
const clock = {
  next: null,
  last: null,
  advance(ts) {
    if (this.next === null) this.next = ts + every;
    if (this.last === null || ts > this.last) this.last = ts;
    if (this.last < this.next) return null;
    const due = this.next;
    this.next = this.last - (this.last % every) + every;
    return due;
  },
  finalPass() {
    return this.next ?? 0;
  },
};
const out = createWriteStream(output);
let passes = 0;
let sketches = 0;
const pass = (now) => {
  const batch = stage.drainDirtySketches();
  passes += 1;
  sketches += batch.length;
  if (batch.length > 0) out.write(`${JSON.stringify({ now, sketches: batch })}\n`);
};
const started = Date.now();
for await (const batch of ingestor.records()) {
  for (const r of batch) {
    if (r.kind === 'event') {
      const due = clock.advance(r.event.ts);
      if (due !== null) pass(due);
      stage.onEvent(r.event);
    } else if (r.kind === 'account') stage.onAccount(r.account);
    else stage.onRelease(r.release);
  }
}
pass(clock.finalPass());
out.end();
console.log(`recorded ${passes} passes, ${sketches} sketches in ${((Date.now() - started) / 1000).toFixed(1)} s → ${output}`);
