import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { SPAN_TABLE, type StorageColumn } from '@loopline/model';
import { forEachString } from '../column-batch.ts';
import type { ColumnBatch } from '../storage.ts';
import { appendColumnBatch } from './duckdb-chunk-writer.ts';

/**
 * A small side table, one row per trace per appended batch, with the trace's time bounds, the
 * conversation id its spans carry (if any), and ART indexes on both ids. A trace or conversation lookup
 * reads bounds here, then reads spans inside those bounds only, so DuckDB's zone maps on `timestamp` skip
 * every row group outside them (spans arrive roughly in time order). Indexing the spans table itself
 * would slow every append as it grows; this table is tens of times smaller.
 */
export const TRACE_INDEX_DDL = [
  'CREATE TABLE IF NOT EXISTS trace_index (trace_id VARCHAR NOT NULL, start_ts TIMESTAMP NOT NULL, end_ts TIMESTAMP NOT NULL)',
  'ALTER TABLE trace_index ADD COLUMN IF NOT EXISTS conversation_id VARCHAR',
  'CREATE INDEX IF NOT EXISTS trace_index_trace_id ON trace_index (trace_id)',
  'CREATE INDEX IF NOT EXISTS trace_index_conversation_id ON trace_index (conversation_id)',
];

const TRACE_COL = SPAN_TABLE.findIndex((col) => col.column === 'trace_id');
const START_COL = SPAN_TABLE.findIndex((col) => col.column === 'timestamp');
const END_COL = SPAN_TABLE.findIndex((col) => col.column === 'end_timestamp');
const CONVERSATION_COL = SPAN_TABLE.findIndex((col) => col.column === 'conversation_id');

interface Bounds {
  start: number;
  end: number;
  conversation: string | null;
}

function traceBounds(batch: ColumnBatch): Map<string, Bounds> {
  const ids: string[] = new Array(batch.rowCount);
  forEachString(batch.columns[TRACE_COL], (id, row) => {
    ids[row] = id ?? '';
  });
  const conversations: (string | null)[] = new Array(batch.rowCount);
  forEachString(batch.columns[CONVERSATION_COL], (id, row) => {
    conversations[row] = id;
  });
  const starts = batch.columns[START_COL] as number[];
  const ends = batch.columns[END_COL] as number[];
  const bounds = new Map<string, Bounds>();
  for (let i = 0; i < batch.rowCount; i++) {
    const id = ids[i] as string;
    const start = starts[i] as number;
    const end = ends[i] as number;
    const conversation = conversations[i] ?? null;
    const known = bounds.get(id);
    if (!known) bounds.set(id, { start, end, conversation });
    else {
      if (start < known.start) known.start = start;
      if (end > known.end) known.end = end;
      known.conversation ??= conversation;
    }
  }
  return bounds;
}

const INDEX_SCHEMA: readonly StorageColumn<unknown>[] = [
  { column: 'trace_id' as never, type: 'string', nullable: false },
  { column: 'start_ts' as never, type: 'timestamp', nullable: false },
  { column: 'end_ts' as never, type: 'timestamp', nullable: false },
  { column: 'conversation_id' as never, type: 'string', nullable: true },
];

export async function createTraceIndexAppender(writer: DuckDBConnection): Promise<DuckDBAppender> {
  for (const sql of TRACE_INDEX_DDL) await writer.run(sql);
  return writer.createAppender('trace_index');
}

/** Appends the time bounds of every trace in a spans batch (not flushed: the caller commits). */
export function appendTraceBounds(appender: DuckDBAppender, batch: ColumnBatch): void {
  const bounds = traceBounds(batch);
  const ids = [...bounds.keys()];
  const values = [...bounds.values()];
  appendColumnBatch(appender, INDEX_SCHEMA, {
    table: 'spans',
    rowCount: ids.length,
    columns: [ids, values.map((b) => b.start), values.map((b) => b.end), values.map((b) => b.conversation)],
  });
}
