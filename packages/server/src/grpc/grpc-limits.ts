import http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import type { ServerLimits } from '../server-limits.ts';

/** The limits grpc-js applies itself: message size, streams per connection, idle connections closed. */
export function grpcLimitOptions(limits: ServerLimits, maxBodyBytes: number): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': maxBodyBytes,
    'grpc.max_concurrent_streams': limits.grpcMaxConcurrentStreams,
    'grpc.max_connection_idle_ms': limits.grpcIdleConnectionMs,
  };
}

/**
 * The limits grpc-js has no option for, set on its HTTP/2 listeners: open connections capped as on the
 * HTTP port; a connection must finish its HTTP/2 handshake within `headersTimeoutMs`; a request whose
 * message is not whole within `requestTimeoutMs` ends with DEADLINE_EXCEEDED (the OTLP exporters'
 * retryable code) and its stream is reset, dropping what it sent. grpc-js keeps its listeners in a
 * private field, the only way to them: should a later grpc-js rename it, these limits are off, and the
 * gRPC limits test fails.
 */
export function guardGrpcListeners(server: grpc.Server, limits: ServerLimits): void {
  const listeners = (server as unknown as { http2Servers?: Map<http2.Http2Server, unknown> }).http2Servers;
  for (const listener of listeners?.keys() ?? []) {
    listener.maxConnections = limits.maxConnections;
    listener.on('session', (session) => handshakeDeadline(session, limits.headersTimeoutMs));
    listener.on('stream', (stream) => requestDeadline(stream, limits.requestTimeoutMs));
  }
}

function handshakeDeadline(session: http2.ServerHttp2Session, timeoutMs: number): void {
  const timer = setTimeout(() => session.destroy(), timeoutMs);
  session.once('remoteSettings', () => clearTimeout(timer));
  session.once('close', () => clearTimeout(timer));
}

function requestDeadline(stream: http2.ServerHttp2Stream, timeoutMs: number): void {
  const timer = setTimeout(() => {
    if (stream.closed || stream.destroyed) return;
    if (!stream.headersSent) {
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc+proto',
          'grpc-status': String(grpc.status.DEADLINE_EXCEEDED),
          'grpc-message': encodeURI(
            `REQUEST_TIMEOUT: the request message did not arrive within ${timeoutMs} ms; send it whole, at once`,
          ),
        },
        { endStream: true },
      );
    }
    // the answer is sent: stop the client sending the rest (RFC 9113 §8.1, RST_STREAM with NO_ERROR)
    stream.close(http2.constants.NGHTTP2_NO_ERROR);
  }, timeoutMs);
  stream.once('end', () => clearTimeout(timer));
  stream.once('close', () => clearTimeout(timer));
}
