import fs from 'node:fs';
import path from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  AppError,
  PHYSICAL_TABLE_NAMES,
  type SignalTable,
  type StorageColumn,
  TABLE_SCHEMAS,
} from '@loopline/model';
import { createTableSql, migrateDuckDbTableSql } from '@loopline/query';
import type { ColumnBatch, ResultRow, SqlParam, Storage, StorageStats } from '../storage.ts';
import { BOARDS_DDL } from './duckdb-boards.ts';
import { appendColumnBatch } from './duckdb-chunk-writer.ts';
import { toDuckDbParam } from './duckdb-params.ts';
import { appendTraceBounds, createTraceIndexAppender } from './duckdb-trace-index.ts';
import { fromDuckDb } from './duckdb-values.ts';

const TABLES: readonly SignalTable[] = ['spans', 'logs', 'metrics'];

export interface DuckDbStorageOptions {
  /** folder holding `loopline.duckdb`; ':memory:' for a throwaway store */
  dataDir: string;
  /** DuckDB threads for queries; default: DuckDB's own */
  threads?: number;
  memoryLimit?: string;
}

/**
 * DuckDB on disk. Appends go through column batches (DataChunk) on one writer connection; auto-
 * checkpoints are pushed out of the way (`checkpoint_threshold`) and `checkpoint()` is called on a timer by
 * the owner, so a flush never stalls for a full checkpoint. A commit reaches the WAL before `append`
 * resolves, so acknowledged rows survive a crash.
 */
export class DuckDbStorage implements Storage {
  private appended = 0;
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    private readonly appenders: Map<SignalTable, DuckDBAppender>,
    private readonly traceIndex: DuckDBAppender,
  ) {}

  static async open(options: DuckDbStorageOptions): Promise<DuckDbStorage> {
    const file = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'loopline.duckdb');
    if (file !== ':memory:') fs.mkdirSync(options.dataDir, { recursive: true });
    // late materialization: a trace lookup (filter, ORDER BY, LIMIT) first finds its row ids from the
    // filter columns, then fetches the other ~50 columns for those rows only (bench:query, trace lookup)
    const config: Record<string, string> = {
      checkpoint_threshold: '4GB',
      late_materialization_max_rows: '20000',
    };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(file, config);
    const writer = await instance.connect();
    for (const table of TABLES) {
      await writer.run(createTableSql(table));
      for (const sql of migrateDuckDbTableSql(table)) await writer.run(sql);
    }
    for (const sql of BOARDS_DDL) await writer.run(sql);
    const readers = [await instance.connect(), await instance.connect()];
    const appenders = new Map<SignalTable, DuckDBAppender>();
    for (const table of TABLES)
      appenders.set(table, await writer.createAppender(PHYSICAL_TABLE_NAMES[table]));
    const traceIndex = await createTraceIndexAppender(writer);
    return new DuckDbStorage(instance, writer, readers, appenders, traceIndex);
  }

  async append(batches: ColumnBatch[]): Promise<void> {
    const touched = new Set<DuckDBAppender>();
    try {
      for (const batch of batches) {
        const appender = this.appenders.get(batch.table);
        if (!appender) throw new AppError('STORAGE_FAILED', `unknown table ${batch.table}`);
        appendColumnBatch(appender, TABLE_SCHEMAS[batch.table] as readonly StorageColumn<unknown>[], batch);
        touched.add(appender);
        if (batch.table === 'spans') appendTraceBounds(this.traceIndex, batch);
        this.appended += batch.rowCount;
      }
      // the index commits first: an index row without its spans reads as "not found", never the reverse
      this.traceIndex.flushSync();
      for (const appender of touched) appender.flushSync();
    } catch (error) {
      throw new AppError('STORAGE_FAILED', `append failed: ${(error as Error).message}`);
    }
  }

  private nextReader = 0;

  async query(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]> {
    const reader = this.readers[this.nextReader++ % this.readers.length] as DuckDBConnection;
    const values = params.map(toDuckDbParam);
    // not prepared once and kept: a kept statement is planned against the statistics of its first run,
    // and DuckDB 1.5 then returned garbage strings once rows were added (an ORDER BY over a table that
    // was empty when it was planned)
    const result = await reader.runAndReadAll(sql, values).catch((error: unknown) => {
      throw new AppError('STORAGE_FAILED', `query failed: ${(error as Error).message}`);
    });
    const rows = result.getRowObjectsJS() as Record<string, unknown>[];
    for (const row of rows) {
      for (const key of Object.keys(row)) row[key] = fromDuckDb(row[key]);
    }
    return rows;
  }

  async checkpoint(): Promise<void> {
    await this.writer.run('CHECKPOINT');
  }

  stats(): StorageStats {
    return { pendingRows: 0, appendedRows: this.appended };
  }

  async close(): Promise<void> {
    for (const appender of this.appenders.values()) appender.closeSync();
    this.traceIndex.closeSync();
    this.appenders.clear();
    for (const reader of this.readers) reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
