/**
 * Work that runs after the current I/O callback has finished (one setImmediate per loop turn
 * for all of it), so a response already written leaves before it. Work queued while this runs
 * (an exchange finishing, then its recording) runs in the same turn.
 */
const pending: (() => void)[] = [];
let scheduled = false;

function runPending(): void {
  // Indexed: work added while running is picked up by the same loop (no new turn is scheduled for it).
  for (let i = 0; i < pending.length; i++) {
    try {
      (pending[i] as () => void)();
    } catch {
      // Callers handle their own failures (see createDeferredQueue); one must not stop the rest.
    }
  }
  pending.length = 0;
  scheduled = false;
}

/** Runs `fn` once the response being written has left (after the current I/O callback). */
export function afterResponse(fn: () => void): void {
  pending.push(fn);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runPending);
  }
}

/** What a deferred queue has done, for "nothing is lost silently" checks. */
export interface DeferredQueueStats {
  queued: number;
  done: number;
  /** Refused because the queue was full (the work never ran). */
  dropped: number;
  /** Ran but threw. */
  failed: number;
}

export interface DeferredQueue<T> {
  /** Queues an item; false (and counted as dropped) when the queue is full. */
  push(item: T): boolean;
  stats(): DeferredQueueStats;
}

/**
 * A bounded queue of work run after the response (see `afterResponse`): past `max` waiting
 * items new ones are dropped and counted, never queued without limit.
 * @example
 * const q = createDeferredQueue((x: Exchange) => sink.record(build(x)), { max: 10_000 });
 */
export function createDeferredQueue<T>(run: (item: T) => void, options: { max?: number; onError?: (err: unknown) => void } = {}): DeferredQueue<T> {
  const max = options.max ?? 10_000;
  let waiting = 0;
  const stats: DeferredQueueStats = { queued: 0, done: 0, dropped: 0, failed: 0 };
  return {
    push(item) {
      if (waiting >= max) {
        stats.dropped++;
        return false;
      }
      waiting++;
      stats.queued++;
      afterResponse(() => {
        waiting--;
        try {
          run(item);
          stats.done++;
        } catch (err) {
          stats.failed++;
          options.onError?.(err);
        }
      });
      return true;
    },
    stats: () => ({ ...stats }),
  };
}
