import type { SqlParam } from '../storage.ts';
import type { Lookup } from './duckdb-lookups.ts';

/**
 * Boards: saved queries shown as live panels. One row per board; its panels are one JSON array text (a
 * board is read and written whole, and never queried by panel). Created at startup next to the signal
 * tables; written through `Storage.query`, one statement per change.
 */
export const BOARDS_DDL = [
  `CREATE TABLE IF NOT EXISTS boards (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR,
    panels VARCHAR NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];

const BOARD_FIELDS = `id, name, description, panels, epoch_us(created_at) AS created_us,
  epoch_us(updated_at) AS updated_us`;

export function boardListLookup(): Lookup {
  return {
    sql: `SELECT id, name, description, json_array_length(panels) AS panel_count,
        epoch_us(updated_at) AS updated_us
      FROM boards ORDER BY updated_at DESC, created_at DESC, id`,
    params: [],
  };
}

export function boardLookup(id: string): Lookup {
  return { sql: `SELECT ${BOARD_FIELDS} FROM boards WHERE id = $1`, params: [{ value: id, type: 'string' }] };
}

export interface BoardRow {
  id: string;
  name: string;
  description: string | null;
  /** JSON array text */
  panels: string;
  /** epoch microseconds */
  createdUs: number;
  updatedUs: number;
}

export function insertBoard(board: BoardRow): Lookup {
  return {
    sql: `INSERT INTO boards (id, name, description, panels, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${BOARD_FIELDS}`,
    params: [
      { value: board.id, type: 'string' },
      { value: board.name, type: 'string' },
      { value: board.description, type: 'string' },
      { value: board.panels, type: 'string' },
      { value: board.createdUs, type: 'timestamp' },
      { value: board.updatedUs, type: 'timestamp' },
    ],
  };
}

/**
 * Replaces the given fields of a board (`undefined` leaves one as it is, a null description clears it) and
 * stamps it; no row back when there is no such board.
 */
export function updateBoard(
  id: string,
  changes: {
    name?: string | undefined;
    description?: string | null | undefined;
    panels?: string | undefined;
  },
  updatedUs: number,
): Lookup {
  const params: SqlParam[] = [
    { value: id, type: 'string' },
    { value: updatedUs, type: 'timestamp' },
  ];
  const sets = ['updated_at = $2'];
  for (const field of ['name', 'description', 'panels'] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    params.push({ value, type: 'string' });
    sets.push(`${field} = $${params.length}`);
  }
  return {
    sql: `UPDATE boards SET ${sets.join(', ')} WHERE id = $1 RETURNING ${BOARD_FIELDS}`,
    params,
  };
}

export function deleteBoard(id: string): Lookup {
  return { sql: 'DELETE FROM boards WHERE id = $1 RETURNING id', params: [{ value: id, type: 'string' }] };
}
