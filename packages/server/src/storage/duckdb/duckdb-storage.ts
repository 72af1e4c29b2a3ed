import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import {
  AppError,
  PHYSICAL_TABLE_NAMES,
  type SignalTable,
  type StorageColumn,
  TABLE_SCHEMAS,
} from '@loopline/model';
import { createTableSql, migrateDuckDbTableSql } from '@loopline/query';
import {
  DEFAULT_READ_LIMITS,
  DEFAULT_READERS,
  deadlineSignal,
  type ReadLimits,
  readFailure,
} from '../read-limits.ts';
import { ReaderPool } from '../reader-pool.ts';
import type {
  CheckpointStats,
  ColumnBatch,
  QueryOptions,
  ResultRow,
  SqlParam,
  Storage,
  StorageStats,
} from '../storage.ts';
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
  /** DuckDB's `memory_limit` (e.g. '1GB'); default DuckDB's own, 80 % of RAM (`loopline serve` sizes it) */
  memoryLimit?: string;
  /** reader connections, each running one query at a time (default `DEFAULT_READERS`) */
  readers?: number;
  /** time, row and byte limits of every read */
  limits?: Partial<ReadLimits>;
}

/** Reads that may wait for a reader before new ones are refused with `QUERY_BUSY`. */
const MAX_WAITING_READS = 256;

/**
 * DuckDB on disk. Appends go through column batches (DataChunk) on one writer connection; auto-
 * checkpoints are pushed out of the way (`checkpoint_threshold`) and `checkpoint()` is called on a timer by
 * the owner, so a flush never stalls for a full checkpoint. A commit reaches the WAL before `append`
 * resolves, so acknowledged rows survive a crash.
 */
export class DuckDbStorage implements Storage {
  private appended = 0;
  private readonly reads = { timedOut: 0, cancelled: 0, refused: 0 };
  private readonly checkpoints: CheckpointStats = {
    done: 0,
    failed: 0,
    lastFailedAt: null,
    lastDurationMs: null,
  };
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: ReaderPool<DuckDBConnection>,
    private readonly appenders: Map<SignalTable, DuckDBAppender>,
    private readonly traceIndex: DuckDBAppender,
    private readonly limits: ReadLimits,
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
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < (options.readers ?? DEFAULT_READERS); i++) readers.push(await instance.connect());
    const appenders = new Map<SignalTable, DuckDBAppender>();
    for (const table of TABLES)
      appenders.set(table, await writer.createAppender(PHYSICAL_TABLE_NAMES[table]));
    const traceIndex = await createTraceIndexAppender(writer);
    return new DuckDbStorage(
      instance,
      writer,
      new ReaderPool(readers, MAX_WAITING_READS),
      appenders,
      traceIndex,
      { ...DEFAULT_READ_LIMITS, ...options.limits },
    );
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
      throw new AppError('STORAGE_FAILED', 'append failed', undefined, { cause: error });
    }
  }

  /**
   * One statement on the first free reader, within the read's limits: past its time limit, or when its
   * client goes away, the statement is interrupted in the engine; a result over the row or byte limit is
   * refused, never built. Rows are converted a chunk (2,048 rows) at a time, each fetch a turn of the
   * event loop, so appends on the same thread wait for one chunk at most.
   */
  async query(sql: string, params: readonly SqlParam[], options: QueryOptions = {}): Promise<ResultRow[]> {
    const deadline = deadlineSignal(options, this.limits);
    let reader: DuckDBConnection | undefined;
    const interrupt = (): void => reader?.interrupt();
    try {
      reader = await this.readers.acquire(deadline.signal);
      deadline.signal.addEventListener('abort', interrupt, { once: true });
      // not prepared once and kept: a kept statement is planned against the statistics of its first run,
      // and DuckDB 1.5 then returned garbage strings once rows were added (an ORDER BY over a table that
      // was empty when it was planned)
      const result = await reader.run(sql, params.map(toDuckDbParam));
      deadline.signal.throwIfAborted();
      return await this.rowsOf(result, deadline.signal);
    } catch (error) {
      throw this.countFailure(readFailure(error, deadline.signal));
    } finally {
      deadline.signal.removeEventListener('abort', interrupt);
      deadline.dispose();
      if (reader) this.readers.release(reader);
    }
  }

  private countFailure(error: AppError): AppError {
    if (error.code === 'QUERY_TIMEOUT') this.reads.timedOut++;
    else if (error.code === 'QUERY_CANCELLED') this.reads.cancelled++;
    else if (error.code === 'QUERY_BUSY' || error.code === 'QUERY_TOO_LARGE') this.reads.refused++;
    return error;
  }

  private async rowsOf(result: DuckDBMaterializedResult, signal: AbortSignal): Promise<ResultRow[]> {
    const { maxRows, maxBytes } = this.limits;
    if (result.rowCount > maxRows) throw tooLarge(`${result.rowCount} rows`, `${maxRows}-row`);
    const names = result.deduplicatedColumnNames();
    const rows: ResultRow[] = [];
    let bytes = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      signal.throwIfAborted();
      for (let r = 0; r < chunk.rowCount; r++) {
        const row: ResultRow = {};
        chunk.visitRowValues(r, (value, _row, column, type) => {
          const converted = fromDuckDb(JSDuckDBValueConverter(value, type, JSDuckDBValueConverter));
          bytes += typeof converted === 'string' ? converted.length : 8;
          row[names[column] as string] = converted;
        });
        rows.push(row);
      }
      if (bytes > maxBytes) throw tooLarge(`over ${bytes} bytes`, `${maxBytes}-byte`);
      await nextTurn();
    }
    return rows;
  }

  async checkpoint(): Promise<void> {
    const started = performance.now();
    try {
      await this.writer.run('CHECKPOINT');
      this.checkpoints.done++;
      this.checkpoints.lastDurationMs = Math.round(performance.now() - started);
    } catch (error) {
      this.checkpoints.failed++;
      this.checkpoints.lastFailedAt = new Date().toISOString();
      throw new AppError('STORAGE_FAILED', 'checkpoint failed', undefined, { cause: error });
    }
  }

  stats(): StorageStats {
    return {
      pendingRows: 0,
      appendedRows: this.appended,
      checkpoints: { ...this.checkpoints },
      reads: { ...this.readers.stats(), ...this.reads },
    };
  }

  async close(): Promise<void> {
    for (const appender of this.appenders.values()) appender.closeSync();
    this.traceIndex.closeSync();
    this.appenders.clear();
    this.readers.rejectWaiting(new AppError('STORAGE_FAILED', 'the store is closing'));
    for (const reader of this.readers.all()) reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

function tooLarge(size: string, limit: string): AppError {
  return new AppError(
    'QUERY_TOO_LARGE',
    `the answer would be ${size}, over the ${limit} limit of one read; narrow the time range, lower the limit or group on fewer columns`,
  );
}
