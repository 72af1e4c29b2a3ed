import { AppError } from '@loopline/model';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { QueryOptions } from '../storage/storage.ts';

export interface QueryTimeouts {
  /** a request's time limit when it names none */
  defaultMs: number;
  /** the most a request may ask for with `?timeout_ms=` */
  maxMs: number;
}

/**
 * The limits of one API request's store reads: `?timeout_ms=` (up to the server's maximum) or the
 * default, and a signal aborted when the client goes away before its answer is sent, so the engine stops
 * work nobody will read.
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
  return { signal: controller.signal, timeoutMs: timeoutOf(request, timeouts) };
}

function timeoutOf(request: FastifyRequest, timeouts: QueryTimeouts): number {
  const raw = (request.query as Record<string, unknown> | undefined)?.timeout_ms;
  if (raw === undefined || raw === '') return timeouts.defaultMs;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1 || ms > timeouts.maxMs) {
    throw new AppError(
      'BAD_REQUEST',
      `timeout_ms must be a whole number of milliseconds from 1 to ${timeouts.maxMs} (the server's --max-query-timeout); the default is ${timeouts.defaultMs}`,
    );
  }
  return ms;
}
