import { describe, expect, it } from 'vitest';
import { createSharedRequests } from './shared-requests.ts';

/** A request the test answers by hand; it records its signal and rejects when that aborts, as fetch does. */
function fakeRequest(): {
  start: (signal: AbortSignal) => Promise<string>;
  signals: AbortSignal[];
  answer: (value: string) => void;
  fail: (error: Error) => void;
} {
  const signals: AbortSignal[] = [];
  let answer = (_: string): void => {};
  let fail = (_: Error): void => {};
  const start = (signal: AbortSignal): Promise<string> => {
    signals.push(signal);
    return new Promise<string>((resolve, reject) => {
      answer = resolve;
      fail = reject;
      signal.addEventListener('abort', () => reject(signal.reason));
    });
  };
  return { start, signals, answer: (v) => answer(v), fail: (e) => fail(e) };
}

describe('shared requests', () => {
  it('sends one request for identical asks in flight and gives every asker its answer', async () => {
    const shared = createSharedRequests();
    const request = fakeRequest();
    const asks = [1, 2, 3].map(() => shared.get('/api/datasets', request.start));
    expect(request.signals).toHaveLength(1);
    request.answer('datasets');
    expect(await Promise.all(asks)).toEqual(['datasets', 'datasets', 'datasets']);
    // nothing kept: the next ask is a new request
    void shared.get('/api/datasets', request.start);
    expect(request.signals).toHaveLength(2);
  });

  it('keeps asking while one asker leaves, and aborts the request when the last one leaves', async () => {
    const shared = createSharedRequests();
    const request = fakeRequest();
    const leaving = new AbortController();
    const staying = new AbortController();
    const first = shared.get('/api/traces/t', request.start, { signal: leaving.signal });
    const second = shared.get('/api/traces/t', request.start, { signal: staying.signal });
    leaving.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(request.signals[0]?.aborted).toBe(false);
    request.answer('trace');
    await expect(second).resolves.toBe('trace');

    // now both leave: the request itself is aborted, and the next ask starts afresh
    const again = fakeRequest();
    const askers = [new AbortController(), new AbortController()];
    const asks = askers.map((c) => shared.get('/api/traces/t', again.start, { signal: c.signal }));
    askers[0]?.abort();
    expect(again.signals[0]?.aborted).toBe(false);
    askers[1]?.abort();
    expect(again.signals[0]?.aborted).toBe(true);
    for (const ask of asks) await expect(ask).rejects.toMatchObject({ name: 'AbortError' });
    expect(shared.inFlight()).toBe(0);
    void shared.get('/api/traces/t', again.start);
    expect(again.signals).toHaveLength(2);
    expect(again.signals[1]?.aborted).toBe(false);
  });

  it('an asker without a signal keeps the request alive', async () => {
    const shared = createSharedRequests();
    const request = fakeRequest();
    const leaving = new AbortController();
    void shared.get('/k', request.start, { signal: leaving.signal }).catch(() => {});
    const staying = shared.get('/k', request.start);
    leaving.abort();
    expect(request.signals[0]?.aborted).toBe(false);
    request.answer('v');
    await expect(staying).resolves.toBe('v');
  });

  it('keeps an answer for its time to live, then asks again; a failure is never kept', async () => {
    let now = 1_000;
    const shared = createSharedRequests({ now: () => now });
    const request = fakeRequest();
    const first = shared.get('/api/datasets', request.start, { ttlMs: 10_000 });
    request.answer('v1');
    await expect(first).resolves.toBe('v1');
    now += 9_999;
    await expect(shared.get('/api/datasets', request.start, { ttlMs: 10_000 })).resolves.toBe('v1');
    expect(request.signals).toHaveLength(1);
    now += 1;
    const stale = shared.get('/api/datasets', request.start, { ttlMs: 10_000 });
    expect(request.signals).toHaveLength(2);
    request.fail(new Error('down'));
    await expect(stale).rejects.toThrow('down');
    const retried = shared.get('/api/datasets', request.start, { ttlMs: 10_000 });
    expect(request.signals).toHaveLength(3);
    request.answer('v2');
    await expect(retried).resolves.toBe('v2');
  });

  it('rejects at once an asker whose signal has already aborted, sending nothing', async () => {
    const shared = createSharedRequests();
    const request = fakeRequest();
    await expect(shared.get('/k', request.start, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(request.signals).toHaveLength(0);
  });
});
