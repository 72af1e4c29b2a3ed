import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '@loopline/model';
import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import type { ByteBudget, Reservation } from '../ingest/byte-budget.ts';

export interface BodyGuardOptions {
  budget: ByteBudget;
  /** the whole body must arrive within this */
  requestTimeoutMs: number;
  /** and never go this long without a byte */
  bodyIdleTimeoutMs: number;
}

/**
 * A preParsing hook for every route: before a body is read, its declared length is reserved in the
 * server's byte budget (503 SERVER_BUSY when it does not fit); a chunked body reserves its bytes as they
 * arrive. The body must arrive within `requestTimeoutMs` and never stall for `bodyIdleTimeoutMs` (408
 * REQUEST_TIMEOUT, then the connection is closed). The reservation ends with the response.
 */
export function bodyGuard(options: BodyGuardOptions): preParsingHookHandler {
  return async (request, reply, payload) => {
    if (!hasBody(request)) return payload;
    const declared = Number(request.headers['content-length'] ?? 0) || 0;
    const reservation = options.budget.reserve(declared);
    if (!reservation) throw busy(reply, options.budget, declared);
    const guarded = new GuardedBody(reservation, options, reply);
    reply.raw.once('close', () => guarded.settle());
    payload.pipe(guarded);
    return guarded;
  };
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The body as it arrives, counted against the budget and timed. */
class GuardedBody extends Transform {
  /** read by Fastify's body reader to check the Content-Length */
  receivedEncodedLength = 0;
  private readonly idle: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly reservation: Reservation,
    private readonly options: BodyGuardOptions,
    private readonly reply: FastifyReply,
  ) {
    super();
    const { requestTimeoutMs, bodyIdleTimeoutMs } = options;
    this.deadline = setTimeout(() => this.timeOut(`within ${requestTimeoutMs} ms`), requestTimeoutMs);
    this.idle = setTimeout(() => this.timeOut(`(no byte for ${bodyIdleTimeoutMs} ms)`), bodyIdleTimeoutMs);
    // the body reader listens for errors while it reads; a body nobody reads must not throw
    this.on('error', () => undefined);
    this.once('close', () => this.stopTimers());
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.receivedEncodedLength += chunk.length;
    this.idle.refresh();
    const unreserved = this.receivedEncodedLength - this.reservation.bytes;
    if (unreserved > 0 && !this.reservation.grow(unreserved)) {
      callback(busy(this.reply, this.options.budget, unreserved));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.stopTimers();
    callback();
  }

  /** the response is sent (or the connection gone): the body's bytes are no longer held */
  settle(): void {
    this.stopTimers();
    this.reservation.release();
  }

  private timeOut(how: string): void {
    this.reply.header('connection', 'close');
    this.destroy(
      new AppError('REQUEST_TIMEOUT', `the request body did not arrive ${how}; send the whole body at once`, {
        receivedBytes: this.receivedEncodedLength,
      }),
    );
  }

  private stopTimers(): void {
    clearTimeout(this.idle);
    clearTimeout(this.deadline);
  }
}

function busy(reply: FastifyReply, budget: ByteBudget, bytes: number): AppError {
  reply.header('retry-after', '1');
  return new AppError(
    'SERVER_BUSY',
    `the server is receiving ${budget.inUse} bytes of request bodies, and ${bytes} more would pass its ${budget.limit}-byte budget (--max-inflight-bytes); retry shortly`,
    { retryAfterSeconds: 1, inflightBytes: budget.inUse, maxInflightBytes: budget.limit },
  );
}
