/**
 * How many API requests a page has in flight at once. A board of 100 panels would otherwise start 100
 * queries together (the browser sends 6 per host and queues the rest where nothing can cancel them), and
 * what the user just asked for would wait behind all of them.
 *
 * Background requests (home and board panels) start while fewer than `limit` requests are in flight;
 * user requests (a query run, a trace opened, anything not marked background) while fewer than
 * `userLimit` are, and they leave the queue before any background request. Each kind starts in the order
 * it was asked for. A queued request whose signal aborts leaves the queue without being started.
 */

export type RequestPriority = 'user' | 'background';

export interface RequestLimiter {
  /** Runs `task` once a slot is free; the slot is held until the task's promise settles. */
  run<T>(task: () => Promise<T>, options?: { signal?: AbortSignal; priority?: RequestPriority }): Promise<T>;
  /** Requests started and not yet settled. */
  inFlight(): number;
  /** Requests waiting for a slot. */
  queued(): number;
}

interface Waiting {
  start: () => void;
  leave: () => void;
}

export function createRequestLimiter(options: { limit: number; userLimit?: number }): RequestLimiter {
  const limit = Math.max(1, options.limit);
  const userLimit = Math.max(limit, options.userLimit ?? limit);
  const queues: Record<RequestPriority, Waiting[]> = { user: [], background: [] };
  let running = 0;

  const next = (): Waiting | undefined => {
    if (running < userLimit && queues.user.length > 0) return queues.user.shift();
    if (running < limit && queues.background.length > 0) return queues.background.shift();
    return undefined;
  };
  const pump = (): void => {
    for (let waiting = next(); waiting; waiting = next()) waiting.start();
  };

  const run = <T>(
    task: () => Promise<T>,
    opts: { signal?: AbortSignal; priority?: RequestPriority } = {},
  ): Promise<T> => {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const queue = queues[opts.priority ?? 'user'];
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        queue.splice(queue.indexOf(waiting), 1);
        reject(signal?.reason);
      };
      const waiting: Waiting = {
        start: () => {
          waiting.leave();
          running++;
          const settle = (): void => {
            running--;
            pump();
          };
          new Promise<T>((started) => started(task())).then(resolve, reject).finally(settle);
        },
        leave: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiting);
      pump();
    });
  };

  return { run, inFlight: () => running, queued: () => queues.user.length + queues.background.length };
}
