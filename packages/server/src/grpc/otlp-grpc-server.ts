import * as grpc from '@grpc/grpc-js';
import { AppError, isAppError } from '@loopline/model';
import { publicError } from '../http/http-errors.ts';
import type { ByteBudget } from '../ingest/byte-budget.ts';
import type { IngestService, Signal } from '../ingest/ingest-service.ts';
import { exportResponseProto } from '../ingest/otlp-response.ts';
import { decodeBody } from '../ingest/request-body.ts';
import type { ServerLimits } from '../server-limits.ts';
import { grpcLimitOptions, guardGrpcListeners } from './grpc-limits.ts';

const SERVICES: Readonly<Record<Signal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

export interface OtlpGrpcOptions {
  ingest: IngestService;
  host: string;
  port: number;
  maxBodyBytes: number;
  limits: ServerLimits;
  /** request bytes being received, shared with HTTP */
  budget: ByteBudget;
  onError?: (error: unknown) => void;
}

interface ExportReply {
  rejected: number;
  errorMessage: string;
}

const identity = (buffer: Buffer): Buffer => buffer;

function definition(signal: Signal): grpc.ServiceDefinition {
  return {
    Export: {
      path: SERVICES[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: (reply: ExportReply) =>
        Buffer.from(exportResponseProto(reply.rejected, reply.errorMessage)),
      responseDeserialize: identity,
    },
  };
}

function grpcStatus(error: unknown): grpc.StatusObject {
  const app = isAppError(error) ? publicError(error) : new AppError('INTERNAL', 'internal error');
  const code =
    app.code === 'INGEST_OVERLOADED' || app.code === 'STORAGE_FAILED' || app.code === 'SERVER_BUSY'
      ? grpc.status.UNAVAILABLE
      : app.code === 'OTLP_BODY_TOO_LARGE'
        ? grpc.status.RESOURCE_EXHAUSTED
        : app.code === 'INTERNAL'
          ? grpc.status.INTERNAL
          : grpc.status.INVALID_ARGUMENT;
  return { code, details: `${app.code}: ${app.message}`, metadata: new grpc.Metadata() };
}

/** OTLP/gRPC: the three Export services on their own port, same ingest path as OTLP/HTTP. */
export async function startOtlpGrpcServer(
  options: OtlpGrpcOptions,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new grpc.Server(grpcLimitOptions(options.limits, options.maxBodyBytes));
  for (const signal of ['traces', 'logs', 'metrics'] as const) {
    server.addService(definition(signal), {
      Export: (
        call: grpc.ServerUnaryCall<Buffer, ExportReply>,
        callback: grpc.sendUnaryData<ExportReply>,
      ) => {
        exportCall(signal, call.request, options).then(
          (reply) => callback(null, reply),
          (error) => {
            // a store or internal failure is logged whole; the client gets its code only
            if (!isAppError(error) || publicError(error) !== error) options.onError?.(error);
            callback(grpcStatus(error));
          },
        );
      },
    });
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  guardGrpcListeners(server, options.limits);
  return {
    port,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

async function exportCall(signal: Signal, body: Buffer, options: OtlpGrpcOptions): Promise<ExportReply> {
  options.ingest.assertCapacity();
  // grpc-js hands over a message once it is whole: its bytes count from here until the answer
  const reservation = options.budget.reserve(body.length);
  if (!reservation) {
    throw new AppError(
      'SERVER_BUSY',
      `the server is receiving ${options.budget.inUse} bytes of requests, and ${body.length} more would pass its ${options.budget.limit}-byte budget; retry shortly`,
    );
  }
  try {
    const result = await options.ingest.ingestInTurn(signal, () => decodeBody(signal, 'protobuf', body));
    return { rejected: result.rejected, errorMessage: result.errorMessage };
  } finally {
    reservation.release();
  }
}
