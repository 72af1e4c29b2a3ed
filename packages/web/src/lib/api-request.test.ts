import { describe, expect, it } from 'vitest';
import { ApiError, createApiRequest } from './api-request.ts';
import { createRequestLimiter } from './request-limiter.ts';

interface Call {
  path: string;
  init: RequestInit;
  respond: (status: number, body?: unknown) => void;
}

/** A fetch the test answers by hand; like the browser's, it rejects with the signal's reason on abort. */
function fakeFetch(): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason));
      calls.push({
        path: String(input),
        init,
        respond: (status, body) =>
          resolve(new Response(body === undefined ? null : JSON.stringify(body), { status })),
      });
    });
  return { fetch: fetchFn as typeof fetch, calls };
}

/** How a promise settled, read without leaving a rejection unhandled while the test goes on. */
const outcome = (promise: Promise<unknown>): Promise<{ value: unknown } | { error: string }> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof Error ? error.name : String(error) }),
  );

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('the API request layer', () => {
  it('aborting a request cancels its fetch and rejects with the abort, never an ApiError', async () => {
    const { fetch, calls } = fakeFetch();
    const request = createApiRequest({ fetch });
    const controller = new AbortController();
    const asked = request('POST', '/api/query', { body: { calculations: [] }, signal: controller.signal });
    await tick();
    expect(calls.map((c) => [c.init.method, c.path, c.init.body])).toEqual([
      ['POST', '/api/query', '{"calculations":[]}'],
    ]);
    controller.abort();
    const error = await asked.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(calls[0]?.init.signal?.aborted).toBe(true);
  });

  it("turns the server's error into an ApiError with its code, and a lost server into UNREACHABLE", async () => {
    const { fetch, calls } = fakeFetch();
    const request = createApiRequest({ fetch });
    const bad = request('POST', '/api/query', { body: {} });
    await tick();
    calls[0]?.respond(400, { error: { code: 'QUERY_UNKNOWN_COLUMN', message: 'no column x' } });
    await expect(bad).rejects.toMatchObject({ code: 'QUERY_UNKNOWN_COLUMN', status: 400 });
    const down = createApiRequest({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down('GET', '/api/health')).rejects.toMatchObject({ code: 'UNREACHABLE', status: 0 });
  });

  it('sends identical GETs in flight once and keeps a cached answer, but never shares POSTs', async () => {
    const { fetch, calls } = fakeFetch();
    const request = createApiRequest({ fetch });
    const gets = [1, 2].map(() => request('GET', '/api/datasets', { cacheMs: 10_000 }));
    const posts = [1, 2].map(() => request('POST', '/api/query', { body: {} }));
    await tick();
    expect(calls.map((c) => c.path)).toEqual(['/api/datasets', '/api/query', '/api/query']);
    for (const call of calls) call.respond(200, { answer: call.path });
    expect(await Promise.all([...gets, ...posts])).toEqual([
      { answer: '/api/datasets' },
      { answer: '/api/datasets' },
      { answer: '/api/query' },
      { answer: '/api/query' },
    ]);
    await expect(request('GET', '/api/datasets', { cacheMs: 10_000 })).resolves.toEqual({
      answer: '/api/datasets',
    });
    expect(calls).toHaveLength(3);
  });

  it('a shared GET waiting for a slot is sent while one asker stays, and never sent once all have left', async () => {
    const { fetch, calls } = fakeFetch();
    const request = createApiRequest({ fetch, limiter: createRequestLimiter({ limit: 1 }) });
    const busy = request('POST', '/api/query', { body: {} });
    const [a, b, c, d] = [1, 2, 3, 4].map(() => new AbortController()) as AbortController[];
    const kept = [a, b].map((x) => outcome(request('GET', '/api/traces/t1', { signal: x?.signal })));
    const dropped = [c, d].map((x) => outcome(request('GET', '/api/traces/t2', { signal: x?.signal })));
    a?.abort();
    c?.abort();
    d?.abort();
    await tick();
    calls[0]?.respond(200, {});
    await busy;
    await tick();
    expect(calls.map((x) => x.path)).toEqual(['/api/query', '/api/traces/t1']);
    calls[1]?.respond(200, { traceId: 't1' });
    expect(await Promise.all([...kept, ...dropped])).toEqual([
      { error: 'AbortError' },
      { value: { traceId: 't1' } },
      { error: 'AbortError' },
      { error: 'AbortError' },
    ]);
    await tick();
    expect(calls).toHaveLength(2);
  });
});
