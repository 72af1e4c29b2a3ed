import { DuckDBInstance } from '@duckdb/node-api';
import type { StorageColumn } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { packStrings } from '../column-batch.ts';
import { appendColumnBatch } from './duckdb-chunk-writer.ts';

const SCHEMA = [
  { column: 's', type: 'string', nullable: true },
  { column: 'i', type: 'integer', nullable: true },
  { column: 'f', type: 'float', nullable: true },
  { column: 'b', type: 'boolean', nullable: true },
  { column: 't', type: 'timestamp', nullable: true },
] as unknown as readonly StorageColumn<unknown>[];

describe('appendColumnBatch writes exactly the values given, NULLs included', () => {
  it('round-trips every type across chunk boundaries', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE TABLE t (s VARCHAR, i BIGINT, f DOUBLE, b BOOLEAN, t TIMESTAMP)');
    const appender = await connection.createAppender('t');
    const n = 5000;
    const rows = Array.from({ length: n }, (_, k) => ({
      s: k % 7 === 0 ? null : `v${k}-ünï`,
      i: k % 5 === 0 ? null : (k - 2500) * 1_000_003_007,
      f: k % 3 === 0 ? null : k / 8 - 100,
      b: k % 11 === 0 ? null : k % 2 === 0,
      t: k % 13 === 0 ? null : 1_795_000_000_000_000 + k * 1_234_567,
    }));
    const columns = SCHEMA.map((col) => rows.map((row) => row[col.column as keyof typeof row]));
    appendColumnBatch(appender, SCHEMA, { table: 'spans', rowCount: n, columns });
    appender.flushSync();
    const result = await connection.runAndReadAll(
      'SELECT s, i, f, b, epoch_us(t) AS t FROM t ORDER BY rowid',
    );
    const back = result.getRowObjectsJS().map((row) => ({
      s: row.s,
      i: row.i === null ? null : Number(row.i),
      f: row.f,
      b: row.b,
      t: row.t === null ? null : Number(row.t),
    }));
    expect(back).toEqual(rows);
    instance.closeSync();
  });

  it('writes dictionary-packed strings: repeats, NULLs, inline and heap strings, non-ASCII, across chunks', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      'CREATE TABLE d (model VARCHAR, status VARCHAR, id VARCHAR, text VARCHAR, lone VARCHAR)',
    );
    const appender = await connection.createAppender('d');
    const models = ['claude-sonnet-4-5-20250929', 'gpt-5-mini', 'gemini-2.5-flash-lite-preview'];
    const n = 5000;
    const rows = Array.from({ length: n }, (_, k) => ({
      model: k % 9 === 0 ? null : (models[k % 3] as string),
      status: k % 4 === 0 ? 'ok' : k % 4 === 1 ? null : 'error',
      // mostly distinct (the packer stops looking for repeats), with an early value coming back late
      id: k > 4000 && k % 10 === 0 ? 'id-00000000000000001' : `id-${String(k).padStart(16, '0')}`,
      text: k % 5 === 0 ? 'héllo wörld 🌍 — a long non-ASCII value' : k % 5 === 1 ? '' : `t${k % 50}`,
      // lone surrogates at the ends of neighbouring values: joined they would make one character
      lone: k % 2 === 0 ? `end ${k % 7} \ud83c` : `\udf0d start ${k % 7}`,
    }));
    const schema = ['model', 'status', 'id', 'text', 'lone'].map((column) => ({
      column,
      type: 'string',
      nullable: true,
    })) as unknown as readonly StorageColumn<unknown>[];
    const columns = schema.map((col) =>
      packStrings(rows.map((row) => row[col.column as keyof (typeof rows)[number]])),
    );
    expect((columns[0] as { ends: Int32Array }).ends.length).toBe(3);
    appendColumnBatch(appender, schema, { table: 'spans', rowCount: n, columns });
    appender.flushSync();
    const result = await connection.runAndReadAll(
      'SELECT model, status, id, text, lone FROM d ORDER BY rowid',
    );
    // a lone surrogate is not UTF-8: it is stored as U+FFFD, and every other value keeps its bounds
    expect(result.getRowObjectsJS()).toEqual(
      rows.map((row) => ({ ...row, lone: row.lone.replace(/[\ud800-\udfff]/g, '\ufffd') })),
    );
    instance.closeSync();
  });
});
