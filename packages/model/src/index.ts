export type { ErrorCode } from './app-error.ts';
export { AppError, ERROR_CODES, isAppError } from './app-error.ts';
export type { ColumnDef, ColumnType, SignalTable } from './column-catalog.ts';
export { COLUMNS_BY_TABLE, findColumn, LOG_COLUMNS, METRIC_COLUMNS, SPAN_COLUMNS } from './column-catalog.ts';
export type {
  Attributes,
  AttrValue,
  MetricType,
  RawDataPoint,
  RawEvent,
  RawLink,
  RawLogRecord,
  RawMetric,
  RawResource,
  RawResourceLogs,
  RawResourceMetrics,
  RawResourceSpans,
  RawScope,
  RawScopeLogs,
  RawScopeMetrics,
  RawScopeSpans,
  RawSpan,
} from './raw-otlp.ts';
export type { CostSource, LogRow, MetricPointRow, SpanRow } from './span-row.ts';
export type { StorageColumn, StorageType, TableSchemas } from './table-schema.ts';
export { LOG_TABLE, METRIC_TABLE, PHYSICAL_TABLE_NAMES, SPAN_TABLE, TABLE_SCHEMAS } from './table-schema.ts';
