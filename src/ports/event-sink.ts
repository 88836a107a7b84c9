import type { TrafficEventInput } from '../domain/index.js';

/**
 * Where the gateway sends each exchange it served, as a TrafficEvent. `record` must not block
 * or throw into the request path: adapters buffer and write in the background, and count
 * what they could not write rather than failing the request.
 */
export interface EventSink {
  readonly kind: string;
  record(event: TrafficEventInput): void;
  /** Resolves when everything recorded so far has been written. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Counts for "nothing is lost" checks. */
  stats(): { recorded: number; written: number; dropped: number };
}
