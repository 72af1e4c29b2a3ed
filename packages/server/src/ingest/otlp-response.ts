import type { Signal } from './ingest-service.ts';

/**
 * The two small messages an OTLP receiver answers with, in both encodings:
 * Export*ServiceResponse { partial_success { rejected_<items> = 1; error_message = 2 } } and
 * google.rpc.Status { code = 1; message = 2; details = 3 }.
 */
const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

/** gRPC status codes used in google.rpc.Status bodies */
export const RPC_CODE = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export function exportResponseJson(signal: Signal, rejected: number, errorMessage: string): object {
  if (rejected === 0 && errorMessage === '') return {};
  return { partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage } };
}

export function exportResponseProto(rejected: number, errorMessage: string): Uint8Array {
  if (rejected === 0 && errorMessage === '') return new Uint8Array(0);
  const inner = new ProtoWriter();
  if (rejected > 0) inner.varintField(1, rejected);
  if (errorMessage) inner.stringField(2, errorMessage);
  const outer = new ProtoWriter();
  outer.bytesField(1, inner.finish());
  return outer.finish();
}

export function statusJson(code: number, message: string): object {
  return { code, message, details: [] };
}

export function statusProto(code: number, message: string): Uint8Array {
  const writer = new ProtoWriter();
  writer.varintField(1, code);
  writer.stringField(2, message);
  return writer.finish();
}

class ProtoWriter {
  private readonly parts: number[] = [];

  varintField(field: number, value: number): void {
    this.varint(field << 3);
    this.varint(value);
  }

  stringField(field: number, value: string): void {
    this.bytesField(field, new TextEncoder().encode(value));
  }

  bytesField(field: number, bytes: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(bytes.length);
    for (const byte of bytes) this.parts.push(byte);
  }

  private varint(value: number): void {
    let rest = value;
    while (rest > 0x7f) {
      this.parts.push((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.parts.push(rest);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
