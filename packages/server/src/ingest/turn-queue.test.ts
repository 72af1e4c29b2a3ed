import { describe, expect, it } from 'vitest';
import { TurnQueue } from './turn-queue.ts';

const busy = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('TurnQueue runs heavy steps one per event-loop turn', () => {
  it('lets a timer run between queued steps, keeps their order and passes results and errors', async () => {
    const queue = new TurnQueue();
    const order: string[] = [];
    const steps = [1, 2, 3, 4].map((n) =>
      queue.run(() => {
        busy(20);
        order.push(`step ${n}`);
        if (n === 3) throw new Error('bad body');
        return n * 10;
      }),
    );
    setTimeout(() => order.push('timer'), 0);
    const results = await Promise.allSettled(steps);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      20,
      'bad body',
      40,
    ]);
    // the timer did not wait for all four steps (80 ms of work) to finish
    expect(order).toContain('timer');
    expect(order.indexOf('timer')).toBeLessThan(3);
    expect(order.filter((entry) => entry !== 'timer')).toEqual(['step 1', 'step 2', 'step 3', 'step 4']);
    expect(queue.waiting).toBe(0);
  });
});
