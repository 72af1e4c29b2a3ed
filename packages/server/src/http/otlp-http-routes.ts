import type { AppError } from '@loopline/model';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestService, Signal } from '../ingest/ingest-service.ts';
import {
  exportResponseJson,
  exportResponseProto,
  RPC_CODE,
  statusJson,
  statusProto,
} from '../ingest/otlp-response.ts';
import { decodeBody, decompress, encodingOf, type OtlpEncoding } from '../ingest/request-body.ts';
import { toHttpError } from './http-errors.ts';

export interface OtlpHttpOptions {
  ingest: IngestService;
  maxBodyBytes: number;
  onError?: (error: unknown) => void;
}

const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

/** OTLP/HTTP: POST /v1/{traces,logs,metrics}, protobuf or JSON, optionally gzip. Bodies are parsed here. */
export async function otlpHttpRoutes(app: FastifyInstance, options: OtlpHttpOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((thrown, request, reply) => {
    const { status, error } = toHttpError(thrown);
    if (status >= 500) options.onError?.(thrown);
    // a store that failed may work again: answer 503 so OTLP exporters retry instead of dropping data
    const retryable = error.code === 'STORAGE_FAILED' ? 503 : status;
    sendStatus(reply, safeEncoding(request), retryable, error);
  });
  // refused before a byte of the body is read: an unknown content type, or a store that is behind
  app.addHook('onRequest', async (request) => {
    encodingOf(request.headers['content-type']);
    options.ingest.assertCapacity();
  });
  for (const signal of SIGNALS) {
    app.post(`/v1/${signal}`, (request, reply) => handleExport(signal, request, reply, options));
  }
}

async function handleExport(
  signal: Signal,
  request: FastifyRequest,
  reply: FastifyReply,
  options: OtlpHttpOptions,
): Promise<void> {
  const encoding = encodingOf(request.headers['content-type']);
  const encodingHeader = request.headers['content-encoding'] as string | undefined;
  // one step: the body, its decoded objects and rows are garbage before the wait for the store
  const body = bodyOf(request);
  request.body = undefined;
  const prepared = await options.ingest.prepareInTurn(signal, () =>
    decodeBody(signal, encoding, decompress(body, encodingHeader, options.maxBodyBytes)),
  );
  const result = await options.ingest.commit(prepared);
  if (encoding === 'json') {
    reply
      .code(200)
      .type('application/json')
      .send(exportResponseJson(signal, result.rejected, result.errorMessage));
  } else {
    reply
      .code(200)
      .type('application/x-protobuf')
      .send(Buffer.from(exportResponseProto(result.rejected, result.errorMessage)));
  }
}

function bodyOf(request: FastifyRequest): Buffer {
  return (request.body as Buffer | undefined) ?? Buffer.alloc(0);
}

function safeEncoding(request: FastifyRequest): OtlpEncoding {
  try {
    return encodingOf(request.headers['content-type']);
  } catch {
    return 'json';
  }
}

function sendStatus(reply: FastifyReply, encoding: OtlpEncoding, status: number, error: AppError): void {
  const rpcCode =
    status === 503 ? RPC_CODE.UNAVAILABLE : status >= 500 ? RPC_CODE.INTERNAL : RPC_CODE.INVALID_ARGUMENT;
  const message = `${error.code}: ${error.message}`;
  const retryAfter =
    (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ??
    (status === 503 ? 5 : undefined);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  if (encoding === 'json') {
    reply.code(status).type('application/json').send(statusJson(rpcCode, message));
  } else {
    reply
      .code(status)
      .type('application/x-protobuf')
      .send(Buffer.from(statusProto(rpcCode, message)));
  }
}
