import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '@loopline/model';
import { parseQuery } from '@loopline/query';
import { z } from 'zod';
import {
  type BoardRow,
  boardListLookup,
  boardLookup,
  deleteBoard,
  insertBoard,
  updateBoard,
} from '../storage/duckdb/duckdb-boards.ts';
import type { Lookup } from '../storage/duckdb/duckdb-lookups.ts';
import type { ResultRow, Storage } from '../storage/storage.ts';
import { isoFromMicros, parseInput } from './request-input.ts';

export const CHART_TYPES = ['line', 'table', 'heatmap'] as const;
export type ChartType = (typeof CHART_TYPES)[number];
export const MAX_PANELS = 100;

export interface Panel {
  id: string;
  title: string;
  query: Record<string, unknown>;
  chart?: ChartType;
}

export interface Board {
  id: string;
  name: string;
  description: string | null;
  panels: Panel[];
  createdAt: string;
  updatedAt: string;
}

export interface BoardListItem {
  id: string;
  name: string;
  description: string | null;
  panelCount: number;
  updatedAt: string | null;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const name = z
  .string({ error: 'a name of 1 to 200 characters is required' })
  .trim()
  .min(1, 'a name of 1 to 200 characters is required')
  .max(200, 'at most 200 characters');
const description = z.string({ error: 'text or null' }).max(5000, 'at most 5000 characters').nullable();
const title = z
  .string({ error: 'a title of 1 to 200 characters is required' })
  .trim()
  .min(1, 'a title of 1 to 200 characters is required')
  .max(200, 'at most 200 characters');
const query = z.record(z.string(), z.unknown(), {
  error: 'a query object as POST /api/query takes (docs/query-language.md) is required',
});
const chart = z.enum(CHART_TYPES, { error: `one of ${CHART_TYPES.join(', ')}` });
const onlyKeys = (keys: string) => ({
  error: (issue: { code?: string }) =>
    issue.code === 'unrecognized_keys' ? `takes only ${keys}` : undefined,
});

const newBoard = z.strictObject({ name, description: description.optional() }, onlyKeys('name, description'));
const newPanel = z.strictObject({ title, query, chart: chart.optional() }, onlyKeys('title, query, chart'));
const panelInput = z.strictObject(
  {
    id: z.string().regex(ID_PATTERN, '1 to 64 letters, digits, "-" or "_"').optional(),
    title,
    query,
    chart: chart.optional(),
  },
  onlyKeys('id, title, query, chart'),
);
const boardChanges = z
  .strictObject(
    {
      name: name.optional(),
      description: description.optional(),
      panels: z
        .array(panelInput, { error: 'a list of panels' })
        .max(MAX_PANELS, `at most ${MAX_PANELS} panels`)
        .optional(),
    },
    onlyKeys('name, description, panels'),
  )
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'give at least one of name, description, panels',
  });

/** A random url-safe id (96 bits). */
export const newId = (): string => randomBytes(12).toString('base64url');

/** A panel's query must be one POST /api/query accepts; its error keeps the query's code, with the place. */
function checkQuery(value: Record<string, unknown>, where: string): void {
  try {
    parseQuery(value);
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(error.code, `${where}.query: ${error.message}`, { ...error.details, panel: where });
  }
}

function toPanel(input: z.output<typeof newPanel>, id: string): Panel {
  return { id, title: input.title, query: input.query, ...(input.chart ? { chart: input.chart } : {}) };
}

function parsePanels(text: unknown): Panel[] {
  try {
    const parsed = JSON.parse(String(text)) as unknown;
    return Array.isArray(parsed) ? (parsed as Panel[]) : [];
  } catch {
    return [];
  }
}

function toBoard(row: ResultRow): Board {
  return {
    id: String(row.id),
    name: String(row.name),
    description: typeof row.description === 'string' ? row.description : null,
    panels: parsePanels(row.panels),
    createdAt: isoFromMicros(row.created_us) ?? '',
    updatedAt: isoFromMicros(row.updated_us) ?? '',
  };
}

const notFound = (id: string): AppError => new AppError('NOT_FOUND', `no board "${id}"`);

/**
 * Boards: saved queries shown as live panels, kept in the `boards` table. Writes are one statement each
 * through `Storage.query` and run one at a time (a panel added while another is added is never lost, and
 * DuckDB never sees two writers of one row at once).
 */
export class BoardService {
  private writes: Promise<unknown> = Promise.resolve();
  private lastStampUs = 0;

  constructor(private readonly storage: Storage) {}

  private run(lookup: Lookup): Promise<ResultRow[]> {
    return this.storage.query(lookup.sql, lookup.params);
  }

  /** Runs `work` after every earlier write has finished. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work, work);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Strictly increasing microseconds, so "newest first" never ties within one server. */
  private stamp(): number {
    this.lastStampUs = Math.max(Date.now() * 1000, this.lastStampUs + 1);
    return this.lastStampUs;
  }

  async list(): Promise<{ boards: BoardListItem[] }> {
    const rows = await this.run(boardListLookup());
    return {
      boards: rows.map((row) => ({
        id: String(row.id),
        name: String(row.name),
        description: typeof row.description === 'string' ? row.description : null,
        panelCount: typeof row.panel_count === 'number' ? row.panel_count : 0,
        updatedAt: isoFromMicros(row.updated_us),
      })),
    };
  }

  async get(id: string): Promise<Board> {
    if (!ID_PATTERN.test(id)) throw notFound(id);
    const [row] = await this.run(boardLookup(id));
    if (!row) throw notFound(id);
    return toBoard(row);
  }

  create(input: unknown): Promise<Board> {
    const body = parseInput(newBoard, input, 'a board');
    return this.exclusive(async () => {
      const now = this.stamp();
      const row: BoardRow = {
        id: newId(),
        name: body.name,
        description: body.description ?? null,
        panels: '[]',
        createdUs: now,
        updatedUs: now,
      };
      const [created] = await this.run(insertBoard(row));
      if (!created) throw new AppError('STORAGE_FAILED', 'the new board was not stored');
      return toBoard(created);
    });
  }

  update(id: string, input: unknown): Promise<Board> {
    const changes = parseInput(boardChanges, input, 'board changes');
    const seen = new Set<string>();
    const panels = changes.panels?.map((panel, i) => {
      checkQuery(panel.query, `panels[${i}]`);
      const panelId = panel.id ?? newId();
      if (seen.has(panelId)) {
        throw new AppError('BAD_REQUEST', `panels[${i}].id: "${panelId}" is already a panel of this board`);
      }
      seen.add(panelId);
      return toPanel(panel, panelId);
    });
    return this.exclusive(async () => {
      if (!ID_PATTERN.test(id)) throw notFound(id);
      const lookup = updateBoard(
        id,
        {
          name: changes.name,
          description: changes.description,
          panels: panels === undefined ? undefined : JSON.stringify(panels),
        },
        this.stamp(),
      );
      const [updated] = await this.run(lookup);
      if (!updated) throw notFound(id);
      return toBoard(updated);
    });
  }

  addPanel(id: string, input: unknown): Promise<Board> {
    const body = parseInput(newPanel, input, 'a panel');
    checkQuery(body.query, 'panel');
    return this.exclusive(async () => {
      const board = await this.get(id);
      if (board.panels.length >= MAX_PANELS) {
        throw new AppError('BAD_REQUEST', `a board holds at most ${MAX_PANELS} panels`);
      }
      const panels = [...board.panels, toPanel(body, newId())];
      const [updated] = await this.run(updateBoard(id, { panels: JSON.stringify(panels) }, this.stamp()));
      if (!updated) throw notFound(id);
      return toBoard(updated);
    });
  }

  remove(id: string): Promise<void> {
    return this.exclusive(async () => {
      if (!ID_PATTERN.test(id)) throw notFound(id);
      const [deleted] = await this.run(deleteBoard(id));
      if (!deleted) throw notFound(id);
    });
  }
}
