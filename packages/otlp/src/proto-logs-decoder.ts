import type { RawLogRecord, RawResourceLogs } from '@loopline/model';
import {
  decodeAnyValue,
  decodeEnvelope,
  decodeItem,
  decodeKeyValue,
  decodeRequest,
} from './proto-common-decoder.ts';
import { envelopeFields, I32, I64, LEN, messageFields, VARINT } from './proto-fields.ts';
import { ProtoReader } from './proto-reader.ts';

const ENVELOPE = envelopeFields('Logs', 'Logs', 'log_records');
const LOG_RECORD_FIELDS = messageFields('LogRecord', {
  1: ['time_unix_nano', I64],
  2: ['severity_number', VARINT],
  3: ['severity_text', LEN],
  5: ['body', LEN],
  6: ['attributes', LEN],
  7: ['dropped_attributes_count', VARINT],
  8: ['flags', I32],
  9: ['trace_id', LEN],
  10: ['span_id', LEN],
  11: ['observed_time_unix_nano', I64],
  12: ['event_name', LEN],
});

/**
 * Decodes an OTLP ExportLogsServiceRequest (protobuf). Throws AppError('OTLP_MALFORMED_BODY') when the
 * envelope is not well-formed; a log record that is not comes back `malformed` (as in decodeTracesProto).
 */
export function decodeLogsProto(bytes: Uint8Array): RawResourceLogs[] {
  return decodeRequest(new ProtoReader(bytes), ENVELOPE, decodeResourceLogs);
}

function decodeResourceLogs(r: ProtoReader, end: number): RawResourceLogs {
  const { resource, scopes } = decodeEnvelope(r, end, ENVELOPE, decodeLogRecord);
  return { resource, scopeLogs: scopes.map(({ scope, items }) => ({ scope, logRecords: items })) };
}

function newLogRecord(): RawLogRecord {
  return {
    timeUs: 0,
    observedTimeUs: 0,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
}

function decodeLogRecord(r: ProtoReader, end: number): RawLogRecord {
  return decodeItem(r, end, newLogRecord(), decodeLogRecordFields);
}

function decodeLogRecordFields(r: ProtoReader, end: number, log: RawLogRecord): void {
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case 50: // 6 attributes
        decodeKeyValue(r, r.end(end), log.attributes);
        break;
      case 9: // 1 time_unix_nano
        log.timeUs = r.timeUs();
        break;
      case 89: // 11 observed_time_unix_nano
        log.observedTimeUs = r.timeUs();
        break;
      case 16: // 2 severity_number
        log.severityNumber = r.int32();
        break;
      case 26: // 3 severity_text
        log.severityText = r.string(end);
        break;
      case 42: // 5 body
        log.body = decodeAnyValue(r, r.end(end));
        break;
      default:
        decodeLogRecordRest(r, tag, end, log);
    }
  }
  r.expectEnd(end);
}

function decodeLogRecordRest(r: ProtoReader, tag: number, end: number, log: RawLogRecord): void {
  switch (tag) {
    case 56: // 7 dropped_attributes_count
      log.droppedAttributesCount = r.uint32();
      return;
    case 69: // 8 flags (fixed32)
      log.flags = r.fixed32();
      return;
    case 74: // 9 trace_id
      log.traceId = r.hex(end);
      return;
    case 82: // 10 span_id
      log.spanId = r.hex(end);
      return;
    case 98: // 12 event_name
      log.eventName = r.string(end);
      return;
    default:
      r.skip(tag, end, LOG_RECORD_FIELDS);
  }
}
