import type { AccountResult } from '../domain/index.js';
import { Ingestor } from '../ingest/index.js';
import { createAccountStage } from '../detectors/index.js';
import type { CorrelationStage } from '../correlate/index.js';
import { PassClock, type SketchMatcher } from './correlation-pass.js';
import { CorrelationDriver } from './correlation-driver.js';
import type { CoreOutcome, CoreSetup } from './core.js';

/** The whole per-account stage in this thread: the reference path, and the one for non-NDJSON formats. */
export async function runInProcess(
  setup: CoreSetup,
  correlation: CorrelationStage,
  matcher: SketchMatcher | undefined,
): Promise<CoreOutcome> {
  const { options } = setup;
  const ingestor = new Ingestor(options.inputs, {
    ...(options.format ? { format: options.format } : {}),
    ...(options.dedupWindowMs ? { dedupWindowMs: options.dedupWindowMs } : {}),
    onDeadLetter: (d) => setup.deadletters.write(d),
  });
  const stage = createAccountStage(options.calibration ? { calibration: options.calibration } : {});
  const clock = new PassClock(setup.everyMs);
  const driver = new CorrelationDriver(correlation, matcher);
  const pass = (now: number, complete: boolean): void => void driver.pass([stage.drain(complete)], now);
  let events = 0;
  let reported = 0;
  for await (const batch of ingestor.records()) {
    for (const r of batch) {
      if (r.kind === 'event') {
        const due = clock.advance(r.event.ts);
        if (due !== null) pass(due, false);
        events++;
        stage.onEvent(r.event);
      } else if (r.kind === 'account') stage.onAccount(r.account);
      else stage.onRelease(r.release);
    }
    if (options.onProgress && ingestor.counts.bytes_read - reported > 4 << 20) {
      reported = ingestor.counts.bytes_read;
      options.onProgress({ bytes: reported, totalBytes: ingestor.totalBytes, events });
    }
  }
  pass(clock.finalPass(), true);
  const results: AccountResult[] = [];
  for (const r of stage.results()) results.push(driver.result(r));
  return {
    counts: ingestor.counts,
    files: ingestor.files,
    results,
    latest: driver.latest,
    clock,
    partitions: 1,
  };
}
