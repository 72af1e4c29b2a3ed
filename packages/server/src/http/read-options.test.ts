import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { readOptionsOf } from './read-options.ts';

const TIMEOUTS = { queryTimeoutMs: 30_000, maxQueryTimeoutMs: 300_000 };

function reply(): FastifyReply & { raw: EventEmitter & { writableFinished: boolean } } {
  return { raw: Object.assign(new EventEmitter(), { writableFinished: false }) } as never;
}
const request = (query: Record<string, string>): FastifyRequest => ({ query }) as unknown as FastifyRequest;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the limits of an API request’s store reads', () => {
  it('give every statement what is left of one limit for the whole request', async () => {
    const read = readOptionsOf(request({ timeout_ms: '1000' }), reply(), TIMEOUTS);
    expect(read.limitMs).toBe(1000);
    const first = read.timeoutMs as number;
    expect(first).toBeLessThanOrEqual(1000);
    await sleep(120);
    // a second statement started later gets less time, not another whole second
    expect(read.timeoutMs).toBeLessThanOrEqual(first - 100);
  });

  it('take the server default without ?timeout_ms=, and refuse one over the maximum', () => {
    expect(readOptionsOf(request({}), reply(), TIMEOUTS).limitMs).toBe(30_000);
    expect(() => readOptionsOf(request({ timeout_ms: '300001' }), reply(), TIMEOUTS)).toThrow(
      /from 1 to 300000/,
    );
  });

  it('are cancelled when the client goes away before the answer is sent, not after', () => {
    const gone = reply();
    const read = readOptionsOf(request({}), gone, TIMEOUTS);
    gone.raw.emit('close');
    expect(read.signal?.aborted).toBe(true);
    const answered = reply();
    const done = readOptionsOf(request({}), answered, TIMEOUTS);
    answered.raw.writableFinished = true;
    answered.raw.emit('close');
    expect(done.signal?.aborted).toBe(false);
  });
});
