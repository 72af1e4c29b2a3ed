import type { RawLogRecord, RawResourceLogs, RawScopeLogs } from '@loopline/model';
import {
  encodeAnyValue,
  encodeAttributes,
  encodeRequest,
  encodeResource,
  encodeScope,
} from './proto-common-encoder.ts';
import type { ProtoWriter } from './proto-writer.ts';

/** Encodes an OTLP ExportLogsServiceRequest (protobuf bytes); times go from microseconds to nanoseconds. */
export function encodeLogsProto(resourceLogs: readonly RawResourceLogs[]): Uint8Array {
  return encodeRequest(resourceLogs, encodeResourceLogs);
}

function encodeResourceLogs(w: ProtoWriter, item: RawResourceLogs): void {
  encodeResource(w, 1, item.resource);
  for (const scopeLogs of item.scopeLogs) {
    const start = w.fork();
    encodeScopeLogs(w, scopeLogs);
    w.ldelim(2, start);
  }
}

function encodeScopeLogs(w: ProtoWriter, item: RawScopeLogs): void {
  encodeScope(w, 1, item.scope);
  for (const log of item.logRecords) {
    const start = w.fork();
    encodeLogRecord(w, log);
    w.ldelim(2, start);
  }
}

function encodeLogRecord(w: ProtoWriter, log: RawLogRecord): void {
  w.timeField(1, log.timeUs);
  w.int32Field(2, log.severityNumber);
  w.stringField(3, log.severityText);
  if (log.body !== null) {
    const start = w.fork();
    encodeAnyValue(w, log.body);
    w.ldelim(5, start);
  }
  encodeAttributes(w, 6, log.attributes);
  w.uint32Field(7, log.droppedAttributesCount);
  w.fixed32Field(8, log.flags);
  w.hexField(9, log.traceId, 'traceId');
  w.hexField(10, log.spanId, 'spanId');
  w.timeField(11, log.observedTimeUs);
  w.stringField(12, log.eventName);
}
