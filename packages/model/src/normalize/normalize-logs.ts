import { COMMON_ATTRIBUTES, LOOPLINE_ATTRIBUTES } from '@loopline/conventions';
import type { Attributes, AttrValue, RawLogRecord, RawResourceLogs, RawScope } from '../raw-otlp.ts';
import type { LogRow } from '../span-row.ts';
import { SlotScratch } from './attribute-slots.ts';
import { readString } from './attribute-values.ts';
import {
  conversationIdFromSlots,
  datasetFromSlots,
  mergedAttributesJson,
  sampleRateFromSlots,
  userIdFromSlots,
} from './common-columns.ts';
import { checkHexId, ID_ZERO, IssueCollector, validHexId } from './issues.ts';
import {
  clockUs,
  mergeItemOverResource,
  type NormalizeOptions,
  type NormalizeResult,
  type PreparedResource,
  prepareResource,
  prepareScope,
} from './normalize-options.ts';
import { mergeRedactedLists, redactAttributes, redactBody } from './redact.ts';
import { type Rejection, timeRejection } from './time-bounds.ts';

/**
 * OTLP log records → LogRow. A record the decoder could not read, or whose time or observed time lies
 * outside the stored window (time-bounds.ts), is rejected and counted. Records are never rejected for
 * their ids: a malformed trace or span id is cleared and reported as a warning. Usage is not stored on
 * log rows; `usageFromAttributes` reads it from events such as `claude_code.api_request` when needed.
 */
export function normalizeLogs(batch: RawResourceLogs[], options: NormalizeOptions): NormalizeResult<LogRow> {
  const issues = new IssueCollector();
  const context: LogContext = { options, issues, nowUs: clockUs(options), scratch: new SlotScratch() };
  const rows: LogRow[] = [];
  let rejected = 0;
  for (const resourceLogs of batch) {
    const resource = prepareResource(resourceLogs.resource.attributes, options.captureContent);
    for (const { scope, logRecords } of resourceLogs.scopeLogs) {
      const scoped = prepareScope(resource, scope, options.captureContent);
      for (const record of logRecords) {
        const problem = logProblem(record, context.nowUs);
        if (problem !== null) {
          rejected++;
          issues.add(problem.problem, problem.example);
          continue;
        }
        try {
          rows.push(logRow(record, scope, scoped, context));
        } catch (error) {
          rejected++;
          issues.add(
            `log record rejected: ${error instanceof Error ? error.message : String(error)}`,
            record.eventName,
          );
        }
      }
    }
  }
  return { rows, rejected, errors: issues.messages() };
}

/** Why a record is rejected: the decoder could not read it, or a time is outside the stored window. */
function logProblem(record: RawLogRecord, nowUs: () => number): Rejection | null {
  if (record.malformed !== undefined) {
    return { problem: `log record rejected: ${record.malformed}`, example: record.eventName };
  }
  return (
    timeRejection('log record rejected: time', record.timeUs, nowUs) ??
    timeRejection('log record rejected: observed time', record.observedTimeUs, nowUs)
  );
}

interface LogContext {
  options: NormalizeOptions;
  issues: IssueCollector;
  nowUs: () => number;
  scratch: SlotScratch;
}

function logRow(
  record: RawLogRecord,
  scope: RawScope,
  resource: PreparedResource,
  context: LogContext,
): LogRow {
  const { captureContent } = context.options;
  const eventName = eventNameOf(record, readString(record.attributes[COMMON_ATTRIBUTES.EVENT_NAME]));
  const redacted = redactAttributes(record.attributes, { captureContent, eventName });
  const { scratch } = context;
  scratch.reset();
  scratch.collect(redacted.attributes);
  scratch.fillMissing(resource.slots);
  const slots = scratch.slots;
  const body = redactBody(record.body, eventName, captureContent);
  let attributes = redacted.attributes;
  if (body.dropped) attributes = withRedactedBody(attributes);
  const timestamp =
    record.timeUs > 0 ? record.timeUs : record.observedTimeUs > 0 ? record.observedTimeUs : context.nowUs();
  return {
    timestamp,
    observed_timestamp: record.observedTimeUs > 0 ? record.observedTimeUs : timestamp,
    trace_id: optionalId(record.traceId, 32, 'trace', context.issues),
    span_id: optionalId(record.spanId, 16, 'span', context.issues),
    severity_number: record.severityNumber,
    severity_text: record.severityText,
    body: bodyText(body.body),
    event_name: eventName,
    dataset: datasetFromSlots(resource.slots.slots),
    scope_name: scope.name,
    scope_version: scope.version,
    conversation_id: conversationIdFromSlots(slots),
    user_id: userIdFromSlots(slots),
    sample_rate: sampleRateFromSlots(slots),
    attributes: mergedAttributesJson(
      resource.attributes,
      resource.fragment,
      attributes,
      mergeItemOverResource,
    ),
  };
}

const TRACING_LOCATION = /^event \S+:\d+$/;

/**
 * The record's `event_name`, else the `event.name` attribute. Claude Code puts only the suffix in
 * `event.name` (`api_request`) and the full name in the body (`claude_code.api_request`): when the
 * attribute has no dot and a string body ends with `.<attribute>`, the body is the name.
 */
function eventNameOf(record: RawLogRecord, attribute: string | null): string {
  // Codex (Rust `tracing`) puts its source location in the record's event_name
  // (`event otel/src/events/session_telemetry.rs:1153`) and the event's name in the attribute
  if (record.eventName !== '' && !(attribute !== null && TRACING_LOCATION.test(record.eventName))) {
    return record.eventName;
  }
  if (attribute === null) return '';
  const body = record.body;
  if (
    !attribute.includes('.') &&
    typeof body === 'string' &&
    body.endsWith(`.${attribute}`) &&
    body.length < 128
  ) {
    return body;
  }
  return attribute;
}

function withRedactedBody(attributes: Attributes): Attributes {
  const existing = attributes[LOOPLINE_ATTRIBUTES.REDACTED];
  return { ...attributes, [LOOPLINE_ATTRIBUTES.REDACTED]: mergeRedactedLists(existing, ['body']) };
}

function bodyText(body: AttrValue): string {
  if (typeof body === 'string') return body;
  if (body === null) return '';
  return JSON.stringify(body);
}

function optionalId(id: string, length: number, what: string, issues: IssueCollector): string {
  if (id === '') return '';
  const valid = validHexId(id, length);
  if (valid !== null) return valid;
  if (checkHexId(id, length) !== ID_ZERO) {
    issues.add(`log record kept without its ${what} id: not ${length} hex characters`, id);
  }
  return '';
}
