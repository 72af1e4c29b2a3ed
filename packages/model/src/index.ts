export type { ErrorCode } from './app-error.ts';
export { AppError, ERROR_CODES, isAppError } from './app-error.ts';
export type { ColumnDef, ColumnType, SignalTable } from './column-catalog.ts';
export { COLUMNS_BY_TABLE, findColumn, LOG_COLUMNS, METRIC_COLUMNS, SPAN_COLUMNS } from './column-catalog.ts';
export { CONTENT_KEYS } from './normalize/content-keys.ts';
export type { CostInput, ResolvedCost } from './normalize/cost.ts';
export { reportedCostFromAttributes, resolveCost } from './normalize/cost.ts';
export type { LogSpanDeriver } from './normalize/derive-spans-from-logs.ts';
export { deriveSpansFromLogs } from './normalize/derive-spans-from-logs.ts';
export { LOG_SPAN_DERIVERS } from './normalize/log-span-derivers.ts';
export { normalizeLogs } from './normalize/normalize-logs.ts';
export { normalizeMetrics } from './normalize/normalize-metrics.ts';
export type { NormalizeOptions, NormalizeResult } from './normalize/normalize-options.ts';
export { normalizeSpans } from './normalize/normalize-spans.ts';
export { normalizeProvider, PROVIDER_ALIASES } from './normalize/operation.ts';
export type { RedactOptions, RedactResult } from './normalize/redact.ts';
export { maskSecrets, redactAttributes, redactBody } from './normalize/redact.ts';
export type { CanonicalUsage, UsageAlias, UsageContext, UsageField } from './normalize/usage.ts';
export { USAGE_ALIASES, usageFromAttributes } from './normalize/usage.ts';
export type { CostBreakdown, CostUsage } from './pricing/compute-cost.ts';
export { computeCost } from './pricing/compute-cost.ts';
export { lookupModel } from './pricing/lookup-model.ts';
export type {
  LongContextPrices,
  ModelPrice,
  ModelTier,
  PriceTable,
  TokenPrices,
} from './pricing/price-table.ts';
export { bundledPriceTable, loadPriceTable, MODEL_TIERS, mergePriceTables } from './pricing/price-table.ts';
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
