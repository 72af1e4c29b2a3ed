import { AppError } from '@loopline/model';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerLimits } from '../server-limits.ts';
import type { QueryOptions } from '../storage/storage.ts';

/** a request's time limit when it names none, and the most it may ask for with `?timeout_ms=` */
export type QueryTimeouts = Pick<ServerLimits, 'queryTimeoutMs' | 'maxQueryTimeoutMs'>;

/**
 * The limits of one API request's store reads: `?timeout_ms=` (up to the server's maximum) or the
 * default, for all its reads together (a query runs up to four statements, the dataset list six: each
 * gets what is left), and a signal aborted when the client goes away before its answer is sent, so the
 * engine stops work nobody will read.
 */
export function readOptionsOf(
  request: FastifyRequest,
  reply: FastifyReply,
  timeouts: QueryTimeouts,
): QueryOptions {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  const limitMs = timeoutOf(request, timeouts);
  const deadline = performance.now() + limitMs;
  return {
    signal: controller.signal,
    limitMs,
    // read when each statement starts
    get timeoutMs(): number {
      return Math.max(1, Math.round(deadline - performance.now()));
    },
  };
}

function timeoutOf(request: FastifyRequest, timeouts: QueryTimeouts): number {
  const raw = (request.query as Record<string, unknown> | undefined)?.timeout_ms;
  if (raw === undefined || raw === '') return timeouts.queryTimeoutMs;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1 || ms > timeouts.maxQueryTimeoutMs) {
    throw new AppError(
      'BAD_REQUEST',
      `timeout_ms must be a whole number of milliseconds from 1 to ${timeouts.maxQueryTimeoutMs} (the server's --max-query-timeout); the default is ${timeouts.queryTimeoutMs}`,
    );
  }
  return ms;
}
