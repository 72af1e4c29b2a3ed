/**
 * One request for many askers: a `get` for a key that is already in flight joins it instead of sending
 * it again, and an answer kept for `ttlMs` is handed out without asking at all. Each asker can leave
 * (abort its own signal) without disturbing the others; the request itself is aborted only when the
 * last asker has left. Answers are shared objects: callers read them and never change them.
 */

export interface SharedRequests {
  get<T>(
    key: string,
    start: (signal: AbortSignal) => Promise<T>,
    options?: { signal?: AbortSignal; ttlMs?: number },
  ): Promise<T>;
  /** Keys with a request in flight (for tests). */
  inFlight(): number;
}

interface Entry {
  controller: AbortController;
  promise: Promise<unknown>;
  askers: number;
  ttlMs: number;
  /** set once the request answered and its answer is kept */
  kept?: { value: unknown; until: number };
}

export function createSharedRequests(options: { now?: () => number } = {}): SharedRequests {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const open = (key: string, start: (signal: AbortSignal) => Promise<unknown>, ttlMs: number): Entry => {
    const controller = new AbortController();
    const entry: Entry = { controller, promise: Promise.resolve(), askers: 0, ttlMs };
    const current = (): boolean => entries.get(key) === entry;
    entry.promise = start(controller.signal).then(
      (value) => {
        if (current() && entry.ttlMs > 0) entry.kept = { value, until: now() + entry.ttlMs };
        else if (current()) entries.delete(key);
        return value;
      },
      (error: unknown) => {
        if (current()) entries.delete(key);
        throw error;
      },
    );
    entries.set(key, entry);
    return entry;
  };

  const join = <T>(key: string, entry: Entry, signal: AbortSignal | undefined): Promise<T> => {
    entry.askers++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal?.reason);
        entry.askers--;
        if (entry.askers > 0 || entry.kept) return;
        if (entries.get(key) === entry) entries.delete(key);
        entry.controller.abort(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const leave = (): void => signal?.removeEventListener('abort', onAbort);
      entry.promise.then(
        (value) => {
          leave();
          resolve(value as T);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  };

  const get = <T>(
    key: string,
    start: (signal: AbortSignal) => Promise<T>,
    opts: { signal?: AbortSignal; ttlMs?: number } = {},
  ): Promise<T> => {
    const { signal } = opts;
    const ttlMs = opts.ttlMs ?? 0;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let entry = entries.get(key);
    if (entry?.kept && entry.kept.until <= now()) {
      entries.delete(key);
      entry = undefined;
    }
    if (entry?.kept) return Promise.resolve(entry.kept.value as T);
    if (entry) entry.ttlMs = Math.max(entry.ttlMs, ttlMs);
    return join<T>(key, entry ?? open(key, start, ttlMs), signal);
  };

  return { get, inFlight: () => [...entries.values()].filter((entry) => !entry.kept).length };
}
