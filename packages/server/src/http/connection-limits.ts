import http from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '@loopline/model';
import type { FastifyServerOptions } from 'fastify';
import type { ServerLimits } from '../server-limits.ts';
import { errorBody } from './http-errors.ts';

type ConnectionOptions = Pick<
  FastifyServerOptions,
  'requestTimeout' | 'keepAliveTimeout' | 'clientErrorHandler'
> & { http: http.ServerOptions };

/**
 * Node's own clocks for a connection: headers must arrive within `headersTimeoutMs`, an idle keep-alive
 * connection closes after `keepAliveTimeoutMs`, and a request still incomplete after its header and body
 * time (the body guard answers first, with an OTLP status where one is due) gets a 408 from Node.
 */
export function connectionOptions(limits: ServerLimits): ConnectionOptions {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = limits;
  return {
    requestTimeout: headersTimeoutMs + requestTimeoutMs + 1000,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      headersTimeout: headersTimeoutMs,
      // how often Node looks for late headers and requests (its default, 30 s, let them overstay)
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    clientErrorHandler,
  };
}

/** A request Node could not parse, or that came too slowly: one error in our shape, then the socket closes. */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = timedOut ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const appError = timedOut
    ? new AppError('REQUEST_TIMEOUT', 'the request did not arrive in time; send it whole, at once')
    : new AppError('BAD_REQUEST', `the request is not valid HTTP (${error.code ?? 'parse error'})`);
  const body = JSON.stringify(errorBody(appError));
  // a response already under way (a refused body still arriving) gets no second one
  const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (socket.writable && !started) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
