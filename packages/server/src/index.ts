export { startServer, loadPrices } from './loopline-server.ts';
export type { RunningServer, ServerOptions } from './loopline-server.ts';
export { QueryService } from './api/query-service.ts';
export { IngestService } from './ingest/ingest-service.ts';
export type { IngestResult, Signal } from './ingest/ingest-service.ts';
export type { Storage, ColumnBatch, SqlParam, ResultRow } from './storage/storage.ts';
export { DuckDbStorage } from './storage/duckdb/duckdb-storage.ts';
export { toColumnBatch } from './storage/column-batch.ts';
