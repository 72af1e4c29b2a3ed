export { QueryService } from './api/query-service.ts';
export { parseServerTiming, ServerTiming } from './api/server-timing.ts';
export type { IngestResult, Signal } from './ingest/ingest-service.ts';
export { IngestService } from './ingest/ingest-service.ts';
export type { RunningServer, ServerOptions } from './loopline-server.ts';
export { loadPrices, startServer } from './loopline-server.ts';
export type { ServerLimits } from './server-limits.ts';
export {
  defaultInflightBytes,
  defaultStoreMemoryLimit,
  machineMemoryBytes,
  resolveLimits,
} from './server-limits.ts';
export { toColumnBatch } from './storage/column-batch.ts';
export { DuckDbStorage } from './storage/duckdb/duckdb-storage.ts';
export type { ColumnBatch, ResultRow, SqlParam, Storage } from './storage/storage.ts';
