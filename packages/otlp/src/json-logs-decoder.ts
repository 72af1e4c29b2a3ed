import type { RawLogRecord, RawResourceLogs, RawScopeLogs } from '@loopline/model';
import {
  decodeAnyValueField,
  decodeJsonRequest,
  decodeResourceJson,
  decodeScopeJson,
  readAttributes,
} from './json-common-decoder.ts';
import type { JsonPath } from './json-path.ts';
import {
  type JsonObject,
  mapItems,
  mapObjects,
  readEnum,
  readId,
  readInteger,
  readString,
  readTimeUs,
  stringOf,
} from './json-reader.ts';
import { SEVERITY_NUMBER_NAMES } from './otlp-enum-names.ts';

/**
 * Decodes an OTLP/JSON ExportLogsServiceRequest: text, UTF-8 bytes or a parsed object (rules as in
 * decodeTracesJson). Throws AppError('OTLP_MALFORMED_BODY') naming the path of a wrongly typed value in
 * the envelope; a log record that cannot be read comes back `malformed`, as a span does there.
 */
export function decodeLogsJson(body: unknown): RawResourceLogs[] {
  return decodeJsonRequest(body, 'resourceLogs', decodeResourceLogs);
}

function decodeResourceLogs(path: JsonPath, obj: JsonObject): RawResourceLogs {
  return {
    resource: decodeResourceJson(path, obj),
    scopeLogs: mapObjects(path, obj, 'scopeLogs', decodeScopeLogs),
  };
}

function decodeScopeLogs(path: JsonPath, obj: JsonObject): RawScopeLogs {
  return {
    scope: decodeScopeJson(path, obj),
    logRecords: mapItems(path, obj, 'logRecords', decodeLogRecord, malformedLogRecord),
  };
}

function malformedLogRecord(reason: string, item: unknown): RawLogRecord {
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
    eventName: stringOf(item, 'eventName'),
    malformed: reason,
  };
}

function decodeLogRecord(path: JsonPath, obj: JsonObject): RawLogRecord {
  const log: RawLogRecord = {
    timeUs: readTimeUs(path, obj, 'timeUnixNano'),
    observedTimeUs: readTimeUs(path, obj, 'observedTimeUnixNano'),
    severityNumber: readEnum(path, obj, 'severityNumber', SEVERITY_NUMBER_NAMES),
    severityText: readString(path, obj, 'severityText'),
    body: decodeAnyValueField(path, obj, 'body'),
    attributes: {},
    droppedAttributesCount: readInteger(path, obj, 'droppedAttributesCount', true),
    flags: readInteger(path, obj, 'flags', true),
    traceId: readId(path, obj, 'traceId'),
    spanId: readId(path, obj, 'spanId'),
    eventName: readString(path, obj, 'eventName'),
  };
  readAttributes(path, obj, 'attributes', log.attributes);
  return log;
}
