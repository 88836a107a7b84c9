import type { TrafficEventInput } from '../../domain/index.js';
import type { EventSink } from '../../ports/index.js';

/** Keeps recorded events in an array: for tests and for in-process pipelines. */
export interface MemoryEventSink extends EventSink {
  readonly events: TrafficEventInput[];
}

export function createMemoryEventSink(): MemoryEventSink {
  const events: TrafficEventInput[] = [];
  return {
    kind: 'memory',
    events,
    record: (e) => void events.push(e),
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
    stats: () => ({ recorded: events.length, written: events.length, dropped: 0 }),
  };
}
