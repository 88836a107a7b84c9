import type { AccountResult, AccountSketch } from '../domain/index.js';
import { Ingestor } from '../ingest/index.js';
import { createAccountStage } from '../detectors/index.js';
import type { CorrelationStage } from '../correlate/index.js';
import { correlationPass, PassClock, type SketchMatcher } from './correlation-pass.js';
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
  const latest = new Map<string, AccountSketch>();
  const pass = (now: number): void => {
    for (const f of correlationPass(stage.drainDirtySketches(), now, correlation, latest, matcher))
      stage.flagExternally(f.account, now, f.finding);
  };
  let events = 0;
  let reported = 0;
  for await (const batch of ingestor.records()) {
    for (const r of batch) {
      if (r.kind === 'event') {
        const due = clock.advance(r.event.ts);
        if (due !== null) pass(due);
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
  pass(clock.finalPass());
  const results: AccountResult[] = [...stage.results()];
  return { counts: ingestor.counts, files: ingestor.files, results, latest, clock, partitions: 1 };
}
