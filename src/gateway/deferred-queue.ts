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
  /** Runs everything queued now. */
  drain(): void;
  stats(): DeferredQueueStats;
}

/**
 * Runs work after the current I/O callback has finished (setImmediate), in batches, so the
 * response already written leaves before it. Bounded: past `max` waiting items new ones are
 * dropped and counted, never queued without limit.
 * @example
 * const q = createDeferredQueue((x: Exchange) => sink.record(build(x)), { max: 10_000 });
 */
export function createDeferredQueue<T>(run: (item: T) => void, options: { max?: number; onError?: (err: unknown) => void } = {}): DeferredQueue<T> {
  const max = options.max ?? 10_000;
  let items: T[] = [];
  let scheduled = false;
  const stats: DeferredQueueStats = { queued: 0, done: 0, dropped: 0, failed: 0 };

  function drain(): void {
    scheduled = false;
    const batch = items;
    items = [];
    for (const item of batch) {
      try {
        run(item);
        stats.done++;
      } catch (err) {
        stats.failed++;
        options.onError?.(err);
      }
    }
  }

  return {
    push(item) {
      if (items.length >= max) {
        stats.dropped++;
        return false;
      }
      items.push(item);
      stats.queued++;
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
      return true;
    },
    drain,
    stats: () => ({ ...stats }),
  };
}
