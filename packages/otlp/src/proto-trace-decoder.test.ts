import { describe, expect, it } from 'vitest';
import { decodeLogsProto } from './proto-logs-decoder.ts';
import { decodeTracesProto } from './proto-trace-decoder.ts';
import { ProtoWriter } from './proto-writer.ts';

/** Writes an ExportTraceServiceRequest with one span whose body `writeSpan` writes. */
function traceRequest(writeSpan: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  const resourceSpans = w.fork();
  const scopeSpans = w.fork();
  const span = w.fork();
  writeSpan(w);
  w.ldelim(2, span);
  w.ldelim(2, scopeSpans);
  w.ldelim(1, resourceSpans);
  return w.finish();
}

function keyValue(w: ProtoWriter, field: number, key: string, value: string): void {
  const kv = w.fork();
  w.stringField(1, key);
  const any = w.fork();
  w.key(1, 2);
  w.string(value);
  w.ldelim(2, any);
  w.ldelim(field, kv);
}

function onlySpan(
  bytes: Uint8Array,
): ReturnType<typeof decodeTracesProto>[number]['scopeSpans'][number]['spans'][number] {
  return decodeTracesProto(bytes)[0]!.scopeSpans[0]!.spans[0]!;
}

describe('decodeTracesProto forward compatibility', () => {
  it('skips unknown fields of every wire type, anywhere in the span', () => {
    const span = onlySpan(
      traceRequest((w) => {
        w.key(100, 0);
        w.int64(-1);
        w.stringField(5, 'kept');
        w.key(101, 1);
        w.double(2.5);
        w.key(102, 2);
        w.string('future message');
        w.key(103, 5);
        w.fixed32(9);
        w.key(2 ** 29 - 1, 0); // the largest field number
        w.uint32(1);
        w.hexField(1, 'aa'.repeat(16), 'traceId');
      }),
    );
    expect(span.name).toBe('kept');
    expect(span.traceId).toBe('aa'.repeat(16));
  });

  it('marks a span malformed when a known field has another wire type, instead of misreading it', () => {
    const span = onlySpan(
      traceRequest((w) => {
        w.stringField(5, 'chat');
        w.key(6, 0);
        w.uint32(2);
        w.key(7, 0); // start time as a varint instead of fixed64
        w.uint32(1);
      }),
    );
    expect(span).toMatchObject({
      name: 'chat',
      kind: 2,
      startUs: 0,
      malformed:
        'malformed protobuf: Span.start_time_unix_nano (field 7) has wire type 0 (varint), expected 1 (fixed64)',
    });
  });

  it('keeps the last value of a repeated attribute key and "__proto__" as an own property', () => {
    const span = onlySpan(
      traceRequest((w) => {
        keyValue(w, 9, 'model', 'first');
        keyValue(w, 9, '__proto__', 'polluted?');
        keyValue(w, 9, 'model', 'second');
      }),
    );
    expect(span.attributes.model).toBe('second');
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
    expect(Object.keys(span.attributes)).toEqual(['model', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).toBe('polluted?');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes ids of any length through as hex (normalisation rejects them)', () => {
    const span = onlySpan(
      traceRequest((w) => {
        w.hexField(1, 'abcdef', 'traceId');
        w.hexField(2, '00', 'spanId');
      }),
    );
    expect(span).toMatchObject({ traceId: 'abcdef', spanId: '00', parentSpanId: '' });
  });

  it('reads negative enums and uint32 flags above 2^31', () => {
    const span = onlySpan(
      traceRequest((w) => {
        w.key(6, 0);
        w.int32(-3);
        w.fixed32Field(16, 0xffffffff);
      }),
    );
    expect(span).toMatchObject({ kind: -3, flags: 0xffffffff });
  });
});

/** An AnyValue nested `depth` arrays deep, as a log body. */
function nestedBody(depth: number): Uint8Array {
  const w = new ProtoWriter();
  const starts = [w.fork(), w.fork(), w.fork(), w.fork()]; // resource_logs, scope_logs, log_record, body
  const arrays: number[] = [];
  for (let i = 0; i < depth; i++) {
    arrays.push(w.fork()); // array_value
    arrays.push(w.fork()); // values[0]
  }
  w.key(2, 0);
  w.uint32(1);
  for (let i = depth - 1; i >= 0; i--) {
    w.ldelim(1, arrays[2 * i + 1]!);
    w.ldelim(5, arrays[2 * i]!);
  }
  w.ldelim(5, starts[3]!);
  w.ldelim(2, starts[2]!);
  w.ldelim(2, starts[1]!);
  w.ldelim(1, starts[0]!);
  return w.finish();
}

describe('AnyValue nesting', () => {
  it('decodes 100 levels, and marks a record nested deeper malformed instead of overflowing the stack', () => {
    const record = (depth: number) => decodeLogsProto(nestedBody(depth))[0]!.scopeLogs[0]!.logRecords[0]!;
    let body = record(100).body;
    for (let i = 0; i < 100; i++) body = (body as unknown[])[0] as typeof body;
    expect(body).toBe(true);
    for (const depth of [101, 5000]) {
      expect(record(depth).malformed).toBe('malformed protobuf: values nested deeper than 100 levels');
    }
  });
});
