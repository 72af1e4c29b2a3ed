import { type AppError, isAppError } from '@loopline/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStorage } from './duckdb-storage.ts';

/** A statement no machine finishes: only the engine's interrupt ends it. */
const ENDLESS = 'SELECT sum(hash(i)) AS s FROM range(1000000000000) t(i)';

let storage: DuckDbStorage;
beforeAll(async () => {
  storage = await DuckDbStorage.open({
    dataDir: ':memory:',
    readers: 2,
    limits: { maxRows: 5_000, maxBytes: 100_000 },
  });
});
afterAll(async () => {
  await storage?.close();
});

const failure = (work: Promise<unknown>): Promise<AppError> =>
  work.then(
    () => {
      throw new Error('expected the read to fail');
    },
    (error: unknown) => {
      if (!isAppError(error)) throw error;
      return error;
    },
  );

describe('DuckDbStorage read limits', () => {
  it('interrupts a statement in the engine past its time limit, and the reader serves again', async () => {
    const error = await failure(storage.query(ENDLESS, [], { timeoutMs: 200 }));
    expect(error.code).toBe('QUERY_TIMEOUT');
    expect(error.message).toMatch(/200 ms time limit/);
    // both readers are free and work
    const rows = await Promise.all([
      storage.query('SELECT 1 AS one', []),
      storage.query('SELECT 2 AS two', []),
    ]);
    expect(rows).toEqual([[{ one: 1 }], [{ two: 2 }]]);
    expect(storage.stats().reads).toMatchObject({ timedOut: 1, busy: 0, waiting: 0 });
  });

  it('stops a statement whose client went away', async () => {
    const controller = new AbortController();
    const read = failure(storage.query(ENDLESS, [], { signal: controller.signal, timeoutMs: 60_000 }));
    setTimeout(() => controller.abort(), 100);
    expect((await read).code).toBe('QUERY_CANCELLED');
    expect(storage.stats().reads).toMatchObject({ cancelled: 1, busy: 0 });
  });

  it('lets a small read through on the other reader while one statement runs long', async () => {
    const controller = new AbortController();
    const long = failure(storage.query(ENDLESS, [], { signal: controller.signal }));
    expect(await storage.query('SELECT 42 AS answer', [])).toEqual([{ answer: 42 }]);
    controller.abort();
    expect((await long).code).toBe('QUERY_CANCELLED');
  });

  it('refuses a result over the row limit before converting it', async () => {
    const error = await failure(storage.query('SELECT i FROM range(5001) t(i)', []));
    expect(error.code).toBe('QUERY_TOO_LARGE');
    expect(error.message).toMatch(/5001 rows, over the 5000-row limit/);
    expect(await storage.query('SELECT count(*)::INTEGER AS n FROM range(5000)', [])).toEqual([{ n: 5000 }]);
  });

  it('refuses a result over the byte limit', async () => {
    const error = await failure(storage.query("SELECT repeat('x', 1000) AS s FROM range(200)", []));
    expect(error.code).toBe('QUERY_TOO_LARGE');
    expect(error.message).toMatch(/100000-byte limit/);
  });

  it('counts a failed checkpoint and says when for the health answer', async () => {
    const store = await DuckDbStorage.open({ dataDir: ':memory:' });
    await store.checkpoint();
    await store.close();
    expect((await failure(store.checkpoint())).code).toBe('STORAGE_FAILED');
    expect(store.stats().checkpoints).toMatchObject({ done: 1, failed: 1 });
    expect(Date.parse(store.stats().checkpoints?.lastFailedAt ?? '')).toBeGreaterThan(0);
  });
});
