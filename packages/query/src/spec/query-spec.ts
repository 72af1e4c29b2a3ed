import { z } from 'zod';

/**
 * The query language: a JSON object modelled on Honeycomb's query specification. `docs/query-language.md`
 * is the user-facing description; keep the two in step.
 */
export const CALCULATION_OPS = [
  'COUNT',
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'P50',
  'P75',
  'P90',
  'P95',
  'P99',
  'P999',
  'HEATMAP',
] as const;
export type CalculationOp = (typeof CALCULATION_OPS)[number];

/** Calculations that produce one number per group (everything but HEATMAP). */
export const SCALAR_CALCULATION_OPS = CALCULATION_OPS.filter(
  (op): op is Exclude<CalculationOp, 'HEATMAP'> => op !== 'HEATMAP',
);

export const PERCENTILE_LEVELS: Readonly<Record<string, number>> = {
  P50: 0.5,
  P75: 0.75,
  P90: 0.9,
  P95: 0.95,
  P99: 0.99,
  P999: 0.999,
};

export const FILTER_OPS = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'exists',
  'does-not-exist',
  'contains',
  'does-not-contain',
  'starts-with',
  'does-not-start-with',
  'in',
  'not-in',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const HAVING_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type HavingOp = (typeof HAVING_OPS)[number];

export const SOURCES = ['spans', 'logs', 'metrics'] as const;

export const DEFAULT_TIME_RANGE_SECONDS = 7200;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/**
 * A typed column or an attribute key. OTLP allows any key, the empty one and very long ones included, and
 * every stored key can be filtered and grouped on; the cap only bounds the request.
 */
export const MAX_COLUMN_NAME_LENGTH = 16_384;
const columnName = z.string().max(MAX_COLUMN_NAME_LENGTH);
const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

const calculation = z.strictObject({
  op: z.enum(CALCULATION_OPS),
  column: columnName.optional(),
  alias: z.string().min(1).max(200).optional(),
});

const filter = z.strictObject({
  column: columnName,
  op: z.enum(FILTER_OPS),
  value: z
    .union([scalar, z.array(scalar).max(1000)])
    .nullable()
    .optional(),
});

const order = z.strictObject({
  op: z.enum(CALCULATION_OPS).optional(),
  column: columnName.optional(),
  order: z.enum(['ascending', 'descending']).default('ascending'),
});

const having = z.strictObject({
  calculate_op: z.enum(SCALAR_CALCULATION_OPS),
  column: columnName.optional(),
  op: z.enum(HAVING_OPS),
  value: z.number(),
});

const epochSeconds = z.number().nonnegative().max(32_503_680_000);

/** `2024-06-01`, `2024-06-01T00:00`, `2024-06-01T00:00:00.5Z`, `…+02:00`; a time without an offset is UTC. */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?)?$/;
const TIME_POINT = 'expected epoch seconds or an ISO 8601 date like "2024-06-01T00:00:00Z"';

function isoSeconds(text: string): number {
  const match = ISO_TIME.exec(text);
  if (!match) return Number.NaN;
  const [, date, time, offset] = match;
  return Date.parse(time === undefined ? `${date}` : `${date}T${time}${offset ?? 'Z'}`) / 1000;
}

/** `start_time` / `end_time`: epoch seconds, or an ISO 8601 date as the CLI's `--start` takes; seconds out. */
const timePoint = z
  .custom<number | string>((value) => typeof value === 'number' || typeof value === 'string', TIME_POINT)
  .transform((value) => (typeof value === 'number' ? value : isoSeconds(value)))
  .refine(Number.isFinite, TIME_POINT)
  .pipe(epochSeconds);

export const querySpecSchema = z.strictObject({
  source: z.enum(SOURCES).default('spans'),
  dataset: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]).optional(),
  calculations: z
    .array(calculation)
    .max(50)
    .default([{ op: 'COUNT' }]),
  filters: z.array(filter).max(100).default([]),
  filter_combination: z.enum(['AND', 'OR']).default('AND'),
  breakdowns: z.array(columnName).max(20).default([]),
  time_range: z
    .number()
    .int()
    .positive()
    .max(10 * 366 * 86_400)
    .optional(),
  start_time: timePoint.optional(),
  end_time: timePoint.optional(),
  granularity: z.number().int().min(1).optional(),
  orders: z.array(order).max(20).default([]),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  havings: z.array(having).max(20).default([]),
  show_sql: z.boolean().default(false),
});

/** A query as a person or client writes it: every field but none is required. */
export type QuerySpecInput = z.input<typeof querySpecSchema>;
/** A validated query with defaults filled in. */
export type QuerySpec = z.output<typeof querySpecSchema>;
export type Calculation = QuerySpec['calculations'][number];
export type Filter = QuerySpec['filters'][number];
export type Order = QuerySpec['orders'][number];
export type Having = QuerySpec['havings'][number];
export type FilterValue = z.output<typeof scalar>;
