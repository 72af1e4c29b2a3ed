import type { RawLogRecord, RawResourceLogs } from '@loopline/model';
import {
  anyValueToJson,
  attributesToJson,
  type OtlpJsonObject,
  resourceToJson,
  scopeToJson,
  timeToJson,
} from './json-common-encoder.ts';

/** Encodes log records as an OTLP/JSON ExportLogsServiceRequest object (pass it to JSON.stringify). */
export function encodeLogsJson(resourceLogs: readonly RawResourceLogs[]): OtlpJsonObject {
  return {
    resourceLogs: resourceLogs.map((item) => ({
      resource: resourceToJson(item.resource),
      scopeLogs: item.scopeLogs.map((scopeLogs) => ({
        scope: scopeToJson(scopeLogs.scope),
        logRecords: scopeLogs.logRecords.map(logRecordToJson),
      })),
    })),
  };
}

function logRecordToJson(log: RawLogRecord): OtlpJsonObject {
  const out: OtlpJsonObject = {
    timeUnixNano: timeToJson(log.timeUs),
    observedTimeUnixNano: timeToJson(log.observedTimeUs),
    severityNumber: log.severityNumber,
    severityText: log.severityText,
    attributes: attributesToJson(log.attributes),
    droppedAttributesCount: log.droppedAttributesCount,
    flags: log.flags,
    traceId: log.traceId,
    spanId: log.spanId,
    eventName: log.eventName,
  };
  if (log.body !== null) out.body = anyValueToJson(log.body);
  return out;
}
