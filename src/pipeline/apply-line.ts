import type { TrafficEvent } from '../domain/index.js';
import type { AccountStage } from '../detectors/index.js';
import { deadLetterOf, validateCandidate, type DedupWindow, type DeadLetter } from '../ingest/index.js';

export interface LineCounts {
  accepted: number;
  duplicates: number;
  events: number;
}

/**
 * One NDJSON line routed to a partition (a worker thread or a cluster worker): parse, validate,
 * deduplicate by event id, apply. A line that fails is pushed to `dead` with its location. A
 * record that is not an event (only routed here when its type could not be read from the raw
 * text) is applied locally. Returns the event applied, if any.
 */
export function applyRoutedLine(
  stage: AccountStage,
  dedup: DedupWindow,
  counts: LineCounts,
  file: string,
  line: number,
  text: string,
  dead: DeadLetter[],
): TrafficEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = `malformed JSON: ${e instanceof Error ? e.message : String(e)}`;
    dead.push(deadLetterOf(file, line, 'ndjson', { reason }, text));
    return null;
  }
  const v = validateCandidate(value);
  if (!v.ok) {
    dead.push(deadLetterOf(file, line, 'ndjson', v.problem, text));
    return null;
  }
  const r = v.record;
  if (r.kind !== 'event') {
    counts.accepted++;
    if (r.kind === 'account') stage.onAccount(r.account);
    else stage.onRelease(r.release);
    return null;
  }
  if (dedup.seen(r.event.id, r.event.ts)) {
    counts.duplicates++;
    return null;
  }
  counts.accepted++;
  counts.events++;
  stage.onEvent(r.event);
  return r.event;
}
