import { describe, expect, it } from 'vitest';
import { afterResponse, createDeferredQueue } from './deferred-queue.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('work deferred until after the response', () => {
  it('runs after the current callback, with work queued meanwhile in the same turn', async () => {
    const seen: string[] = [];
    afterResponse(() => {
      seen.push('a');
      afterResponse(() => seen.push('b'));
    });
    seen.push('now');
    await turn();
    expect(seen).toEqual(['now', 'a', 'b']);
  });

  it('bounds what waits, counting drops and failures instead of losing them silently', async () => {
    const ran: number[] = [];
    const q = createDeferredQueue((n: number) => {
      if (n === 3) throw new Error('boom');
      ran.push(n);
    }, { max: 2 });
    expect([q.push(1), q.push(2), q.push(9)]).toEqual([true, true, false]);
    await turn();
    q.push(3);
    await turn();
    expect(ran).toEqual([1, 2]);
    expect(q.stats()).toEqual({ queued: 3, done: 2, dropped: 1, failed: 1 });
  });
});
