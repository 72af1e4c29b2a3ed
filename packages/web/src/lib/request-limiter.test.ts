import { describe, expect, it } from 'vitest';
import { createRequestLimiter, type RequestPriority } from './request-limiter.ts';

/** A task the test finishes by hand, recording when it started. */
function gate(started: string[], name: string): { task: () => Promise<string>; finish: () => void } {
  let finish = (): void => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('request limiter', () => {
  it('never has more than the limit in flight, and starts the rest in the order they were asked for', async () => {
    const limiter = createRequestLimiter({ limit: 4 });
    const started: string[] = [];
    let running = 0;
    let most = 0;
    const answers = Array.from({ length: 20 }, (_, i) =>
      limiter.run(
        async () => {
          started.push(`p${i}`);
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
          running--;
          return i;
        },
        { priority: 'background' },
      ),
    );
    expect(limiter.inFlight()).toBe(4);
    expect(limiter.queued()).toBe(16);
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(4);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`));
    expect(limiter.inFlight()).toBe(0);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const limiter = createRequestLimiter({ limit: 1 });
    const failing = limiter.run(() => Promise.reject(new Error('boom')));
    const next = limiter.run(() => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(limiter.inFlight()).toBe(0);
  });

  it('never starts a queued request whose signal aborted, and rejects it with the reason', async () => {
    const limiter = createRequestLimiter({ limit: 1 });
    const started: string[] = [];
    const first = gate(started, 'first');
    const running = limiter.run(first.task);
    const controller = new AbortController();
    const dropped = limiter.run(gate(started, 'dropped').task, { signal: controller.signal });
    const last = gate(started, 'last');
    const kept = limiter.run(last.task);
    expect(limiter.queued()).toBe(2);
    controller.abort();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    expect(limiter.queued()).toBe(1);
    first.finish();
    last.finish();
    expect(await Promise.all([running, kept])).toEqual(['first', 'last']);
    expect(started).toEqual(['first', 'last']);
  });

  it('rejects at once a request whose signal has already aborted', async () => {
    const limiter = createRequestLimiter({ limit: 1 });
    const started: string[] = [];
    await expect(
      limiter.run(gate(started, 'never').task, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toEqual([]);
    expect(limiter.inFlight()).toBe(0);
  });

  it("lets what the user asked for go ahead of queued background panels, in the user's slots", async () => {
    const limiter = createRequestLimiter({ limit: 2, userLimit: 3 });
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const ask = (name: string, priority: RequestPriority): Promise<string> => {
      const g = gate(started, name);
      gates.set(name, g.finish);
      return limiter.run(g.task, { priority });
    };
    const finish = async (name: string): Promise<void> => {
      gates.get(name)?.();
      await settle();
    };
    const all = [ask('b1', 'background'), ask('b2', 'background'), ask('b3', 'background')];
    all.push(ask('u1', 'user'), ask('u2', 'user'));
    await settle();
    // two background panels fill the background slots; the user's first request takes the spare slot
    expect(started).toEqual(['b1', 'b2', 'u1']);
    await finish('b1');
    // a freed slot goes to the waiting user request before the waiting panel
    expect(started).toEqual(['b1', 'b2', 'u1', 'u2']);
    await finish('b2');
    // u1 and u2 still in flight: a background panel starts only while fewer than 2 are
    expect(started).toEqual(['b1', 'b2', 'u1', 'u2']);
    await finish('u1');
    expect(started).toEqual(['b1', 'b2', 'u1', 'u2', 'b3']);
    await finish('u2');
    await finish('b3');
    expect(await Promise.all(all)).toEqual(['b1', 'b2', 'b3', 'u1', 'u2']);
  });
});
