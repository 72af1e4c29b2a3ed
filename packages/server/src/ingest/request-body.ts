import zlib from 'node:zlib';
import { AppError } from '@loopline/model';
import {
  decodeLogsJson,
  decodeLogsProto,
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
} from '@loopline/otlp';
import type { DecodedRequest, Signal } from './ingest-service.ts';

export type OtlpEncoding = 'protobuf' | 'json';

/** OTLP's recommended request limit after decompression */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new AppError(
    'OTLP_UNSUPPORTED_CONTENT_TYPE',
    `unsupported content type "${type || '(none)'}"; send application/x-protobuf or application/json`,
  );
}

export function decompress(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    if (body.length > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw new AppError('OTLP_BAD_COMPRESSION', `unsupported content encoding "${encoding}"; use gzip`);
  }
  try {
    const inflate = encoding === 'gzip' ? zlib.gunzipSync : zlib.inflateSync;
    return inflate(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new AppError(
      'OTLP_BAD_COMPRESSION',
      `the ${encoding} body cannot be decompressed: ${(error as Error).message}`,
    );
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'OTLP_BODY_TOO_LARGE',
    `the request body is over the ${maxBytes}-byte limit; send smaller batches`,
    {
      maxBytes,
    },
  );
}

export function decodeBody(signal: Signal, encoding: OtlpEncoding, body: Uint8Array): DecodedRequest {
  if (encoding === 'json') {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    if (signal === 'traces') return { traces: decodeTracesJson(text) };
    if (signal === 'logs') return { logs: decodeLogsJson(text) };
    return { metrics: decodeMetricsJson(text) };
  }
  if (signal === 'traces') return { traces: decodeTracesProto(body) };
  if (signal === 'logs') return { logs: decodeLogsProto(body) };
  return { metrics: decodeMetricsProto(body) };
}
