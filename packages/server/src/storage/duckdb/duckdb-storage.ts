import fs from 'node:fs';
import path from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';
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

  private readonly statements = new Map<DuckDBConnection, StatementCache>();

  async query(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]> {
    const reader = this.readers[this.nextReader++ % this.readers.length] as DuckDBConnection;
    const values = params.map(toDuckDbParam);
    let cache = this.statements.get(reader);
    if (!cache) {
      cache = new StatementCache(reader);
      this.statements.set(reader, cache);
    }
    const result = await cache.runAndReadAll(sql, values);
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
    for (const cache of this.statements.values()) cache.clear();
    for (const appender of this.appenders.values()) appender.closeSync();
    this.traceIndex.closeSync();
    this.appenders.clear();
    for (const reader of this.readers) reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

/** Statements kept prepared per reader; the least recently used goes first once there are this many. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * Prepared statements by SQL text for one connection. The fixed lookups behind the trace, conversation and
 * search endpoints run again and again with new parameters, and parsing, binding and planning a statement
 * as wide as a full trace's cost about 2 ms a run. A statement already running (another request on the
 * same connection) is not shared: that request runs the SQL unprepared.
 */
class StatementCache {
  private readonly entries = new Map<string, { statement: DuckDBPreparedStatement; busy: boolean }>();

  constructor(private readonly connection: DuckDBConnection) {}

  async runAndReadAll(sql: string, values: DuckDBValue[]): Promise<DuckDBResultReader> {
    let entry = this.entries.get(sql);
    if (entry?.busy) return this.connection.runAndReadAll(sql, values);
    if (entry) {
      this.entries.delete(sql);
      this.entries.set(sql, entry);
    } else {
      const statement = await this.connection.prepare(sql);
      if (this.entries.has(sql)) {
        // prepared meanwhile by another request
        statement.destroySync();
        return this.connection.runAndReadAll(sql, values);
      }
      entry = { statement, busy: false };
      this.entries.set(sql, entry);
      if (this.entries.size > STATEMENT_CACHE_SIZE) this.evictOldest();
    }
    entry.busy = true;
    try {
      entry.statement.bind(values);
      return await entry.statement.runAndReadAll();
    } finally {
      entry.busy = false;
    }
  }

  clear(): void {
    for (const { statement } of this.entries.values()) statement.destroySync();
    this.entries.clear();
  }

  private evictOldest(): void {
    for (const [sql, entry] of this.entries) {
      if (entry.busy) continue;
      this.entries.delete(sql);
      entry.statement.destroySync();
      return;
    }
  }
}
