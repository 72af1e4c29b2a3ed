import { isAppError } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { ReaderPool } from './reader-pool.ts';

describe('ReaderPool', () => {
  it('lends the first free reader, so a query never waits while another reader idles', async () => {
    const pool = new ReaderPool(['a', 'b'], 10);
    const first = await pool.acquire();
    const second = await pool.acquire();
    expect(new Set([first, second])).toEqual(new Set(['a', 'b']));
    pool.release(first);
    // the reader released is the one lent next, whichever it was
    expect(await pool.acquire()).toBe(first);
    expect(pool.stats()).toEqual({ readers: 2, busy: 2, waiting: 0 });
  });

  it('serves waiters in order as readers come back', async () => {
    const pool = new ReaderPool(['a'], 10);
    const a = await pool.acquire();
    const order: string[] = [];
    const one = pool.acquire().then((r) => order.push(`one:${r}`));
    const two = pool.acquire().then((r) => order.push(`two:${r}`));
    expect(pool.stats().waiting).toBe(2);
    pool.release(a);
    await one;
    pool.release('a');
    await two;
    expect(order).toEqual(['one:a', 'two:a']);
  });

  it('refuses at once with QUERY_BUSY when the line is full', async () => {
    const pool = new ReaderPool(['a'], 1);
    await pool.acquire();
    const waiting = pool.acquire();
    const refused = await pool.acquire().catch((error: unknown) => error);
    expect(isAppError(refused) && refused.code).toBe('QUERY_BUSY');
    pool.release('a');
    expect(await waiting).toBe('a');
  });

  it('drops an aborted waiter from the line without lending it a reader', async () => {
    const pool = new ReaderPool(['a'], 10);
    await pool.acquire();
    const controller = new AbortController();
    const gone = pool.acquire(controller.signal).catch((error: unknown) => error);
    const next = pool.acquire();
    controller.abort(new Error('client left'));
    expect(((await gone) as Error).message).toBe('client left');
    pool.release('a');
    expect(await next).toBe('a');
    expect(pool.stats()).toEqual({ readers: 1, busy: 1, waiting: 0 });
  });
});
