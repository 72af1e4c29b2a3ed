import type { Calculation, Filter, Having, Order, QuerySpec, Scalar } from './api.ts';
import { formatDuration, RANGE_PRESETS, type TimeRange } from './time-range.ts';

/**
 * Pure helpers over the query language (docs/query-language.md) shared by the query builder, the traces
 * list, boards and the home page: result names, readable descriptions, the builder's form model, and
 * narrowing a query to what a clicked point, cell or row stands for. No DOM here (unit-tested in Node).
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

export const HAVING_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export const SOURCES = ['spans', 'logs', 'metrics'] as const;
export type Source = (typeof SOURCES)[number];

/** Bucket widths offered by the builder (seconds); "auto" lets the server pick 60–120 points. */
export const GRANULARITY_PRESETS: readonly number[] = [
  10, 30, 60, 300, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400,
];

/** The server's own limits (docs/query-language.md): at most this many buckets in a series. */
export const MAX_BUCKETS = 1000;
export const DEFAULT_TIME_RANGE = 7200;

/** Filters that take no value. */
export function filterTakesValue(op: string): boolean {
  return op !== 'exists' && op !== 'does-not-exist';
}
/** Filters that take a list of values. */
export function filterTakesList(op: string): boolean {
  return op === 'in' || op === 'not-in';
}
/** Calculations that read a column (all but COUNT). */
export function calculationTakesColumn(op: string): boolean {
  return op !== 'COUNT';
}
export function isHeatmap(calc: Calculation): boolean {
  return calc.op === 'HEATMAP';
}

/** A calculation's result name, as the server names it: alias, `OP(column)` or `COUNT`. */
export function calcName(calc: Calculation): string {
  if (calc.alias) return calc.alias;
  if (calc.column && calc.op !== 'COUNT') return `${calc.op}(${calc.column})`;
  return calc.op;
}

/** The calculations of a query, defaulting like the server (`[COUNT]`). */
export function calculationsOf(spec: QuerySpec): Calculation[] {
  return spec.calculations && spec.calculations.length > 0 ? spec.calculations : [{ op: 'COUNT' }];
}
/** Calculations that give one number per group (everything but HEATMAP). */
export function scalarCalculations(spec: QuerySpec): Calculation[] {
  return calculationsOf(spec).filter((calc) => !isHeatmap(calc));
}
export function heatmapCalculations(spec: QuerySpec): Calculation[] {
  return calculationsOf(spec).filter(isHeatmap);
}

// ---------------------------------------------------------------------------------------------------------
// readable text

/** A value as it reads in a description: text as is (quoted when empty or padded), lists in brackets. */
export function valueText(value: Scalar | Scalar[] | undefined): string {
  if (Array.isArray(value)) return `(${value.map((v) => valueText(v)).join(', ')})`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return value === '' || value.trim() !== value || value.includes(',') ? JSON.stringify(value) : value;
  }
  return String(value);
}

export function describeFilter(filter: Filter): string {
  if (!filterTakesValue(filter.op))
    return `${filter.column} ${filter.op === 'exists' ? 'exists' : 'does not exist'}`;
  const op = filter.op.replace(/-/g, ' ');
  return `${filter.column} ${op} ${valueText(filter.value)}`;
}

export function describeFilters(spec: QuerySpec): string {
  const filters = spec.filters ?? [];
  if (filters.length === 0) return '';
  return filters.map(describeFilter).join(spec.filter_combination === 'OR' ? ' or ' : ' and ');
}

function datasetsOf(spec: QuerySpec): string[] {
  if (spec.dataset === undefined) return [];
  return Array.isArray(spec.dataset) ? spec.dataset : [spec.dataset];
}

/** `2026-11-20 10:00` (seconds shown only when not whole minutes), UTC. */
export function formatEpoch(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return seconds % 60 === 0 ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 19).replace('T', ' ');
}

/** The time range of a query in words: `last 7 days`, `2026-11-20 10:00 – 12:00 UTC`. */
export function describeRange(spec: QuerySpec): string {
  const { time_range: range, start_time: start, end_time: end } = spec;
  if (start !== undefined && end !== undefined) {
    const from = formatEpoch(start);
    const to = formatEpoch(end);
    const sameDay = from.slice(0, 10) === to.slice(0, 10);
    return `${from} – ${sameDay ? to.slice(11) : to} UTC`;
  }
  const seconds = range ?? DEFAULT_TIME_RANGE;
  const words = rangeWords(seconds);
  if (start !== undefined) return `${words.replace(/^last /, '')} from ${formatEpoch(start)} UTC`;
  if (end !== undefined) return `${words.replace(/^last /, '')} before ${formatEpoch(end)} UTC`;
  return words;
}

function rangeWords(seconds: number): string {
  const preset = RANGE_PRESETS.find((p) => p.seconds === seconds);
  if (preset) return preset.label.replace(/^Last/, 'last');
  return `last ${formatDuration(seconds)}`;
}

/** `1h`, `5m`, `30s`: a bucket width. */
export function describeGranularity(seconds: number): string {
  return formatDuration(seconds);
}

/**
 * A query in one line, e.g. `COUNT, P95(duration_ms) of chat spans in claude-code where … by model`:
 * the default title of a board panel. `time` adds the range.
 */
export function describeSpec(spec: QuerySpec, options: { time?: boolean } = {}): string {
  const parts: string[] = [];
  const calcs = calculationsOf(spec).map(calcName);
  parts.push(calcs.length <= 3 ? calcs.join(', ') : `${calcs.slice(0, 3).join(', ')} +${calcs.length - 3}`);
  const source = spec.source ?? 'spans';
  const datasets = datasetsOf(spec);
  if (source !== 'spans' || datasets.length > 0) {
    parts.push(`of ${source}${datasets.length > 0 ? ` in ${datasets.join(', ')}` : ''}`);
  }
  const filters = describeFilters(spec);
  if (filters) parts.push(`where ${filters}`);
  if (spec.breakdowns && spec.breakdowns.length > 0) parts.push(`by ${spec.breakdowns.join(', ')}`);
  for (const having of spec.havings ?? []) {
    parts.push(
      `having ${calcName({ op: having.calculate_op, column: having.column })} ${having.op} ${having.value}`,
    );
  }
  if (options.time) parts.push(`over ${describeRange(spec)}`);
  return parts.join(' ');
}

/** A group's key in a legend or row: values joined by ` · `; `(none)` for a missing value. */
export function groupLabel(key: Record<string, Scalar>): string {
  const values = Object.values(key);
  if (values.length === 0) return 'all';
  return values.map((v) => (v === null ? '(none)' : v === '' ? '(empty)' : String(v))).join(' · ');
}

// ---------------------------------------------------------------------------------------------------------
// time

/** The query with its time fields replaced by a range (a board's range), keeping a granularity that fits. */
export function withTimeRange(spec: QuerySpec, range: TimeRange): QuerySpec {
  const { time_range: _r, start_time: _s, end_time: _e, granularity, ...rest } = spec;
  const seconds = range.seconds ?? (range.to as number) - (range.from as number);
  const next: QuerySpec =
    range.seconds !== null
      ? { ...rest, time_range: range.seconds }
      : { ...rest, start_time: range.from as number, end_time: range.to as number };
  if (granularity !== undefined && seconds / granularity <= MAX_BUCKETS) next.granularity = granularity;
  return next;
}

/** The smallest granularity the server accepts for a range. */
export function minimumGranularity(rangeSeconds: number): number {
  return Math.max(1, Math.ceil(rangeSeconds / MAX_BUCKETS));
}

/** The length of a query's range in seconds. */
export function rangeSeconds(spec: QuerySpec): number {
  if (spec.start_time !== undefined && spec.end_time !== undefined) return spec.end_time - spec.start_time;
  return spec.time_range ?? DEFAULT_TIME_RANGE;
}

// ---------------------------------------------------------------------------------------------------------
// click-through: a point, a cell or a row → the traces it stands for

export interface ResultWindow {
  /** meta.start / meta.end of the result (ISO) */
  start: string;
  end: string;
  /** meta.granularity (seconds) */
  granularity: number;
}

/** Filters selecting one group: `column = value`, or `does-not-exist` for a missing value. */
export function groupFilters(key: Record<string, Scalar>): Filter[] {
  return Object.entries(key).map(([column, value]) =>
    value === null ? { column, op: 'does-not-exist' } : { column, op: '=', value },
  );
}

/**
 * Adds filters that must all hold. With AND (or at most one filter so far) they are appended; the
 * flat query language cannot say `(a OR b) AND c`, so with OR over several filters only `exact: false`
 * comes back and the extra filters are left out (the traces page says so).
 */
export function addFilters(spec: QuerySpec, extra: Filter[]): { spec: QuerySpec; exact: boolean } {
  if (extra.length === 0) return { spec, exact: true };
  const filters = spec.filters ?? [];
  if (spec.filter_combination === 'OR' && filters.length > 1) return { spec, exact: false };
  const { filter_combination: _c, ...rest } = spec;
  return { spec: { ...rest, filters: [...filters, ...extra] }, exact: true };
}

/**
 * The range of one series bucket (`time` .. `time + granularity`) cut to the result's range, as absolute
 * `start_time`/`end_time` (epoch seconds, fractions kept so the traces are exactly the bucket's rows).
 */
export function narrowTime(spec: QuerySpec, time: string, window: ResultWindow): QuerySpec {
  const bucketStart = Date.parse(time);
  const bucketEnd = bucketStart + window.granularity * 1000;
  const start = Math.max(bucketStart, Date.parse(window.start));
  const end = Math.min(bucketEnd, Date.parse(window.end));
  const { time_range: _r, start_time: _s, end_time: _e, granularity: _g, ...rest } = spec;
  return { ...rest, start_time: start / 1000, end_time: end / 1000 };
}

/** The query's whole range made absolute (so a row's traces stay the same when opened later). */
export function absoluteTime(spec: QuerySpec, window: ResultWindow): QuerySpec {
  const { time_range: _r, start_time: _s, end_time: _e, granularity: _g, ...rest } = spec;
  return { ...rest, start_time: Date.parse(window.start) / 1000, end_time: Date.parse(window.end) / 1000 };
}

/**
 * A clicked chart point: the group's key as filters and the point's time bucket as the range. The result
 * keeps the query's breakdowns so "back to the query" shows the same split.
 */
export function narrowToPoint(
  spec: QuerySpec,
  point: { key: Record<string, Scalar>; time: string },
  window: ResultWindow,
): { spec: QuerySpec; exact: boolean } {
  const { spec: filtered, exact } = addFilters(spec, groupFilters(point.key));
  return { spec: narrowTime(filtered, point.time, window), exact };
}

/** A clicked table row: the group's key as filters over the result's whole range. */
export function narrowToGroup(
  spec: QuerySpec,
  key: Record<string, Scalar>,
  window: ResultWindow,
): { spec: QuerySpec; exact: boolean } {
  const { spec: filtered, exact } = addFilters(spec, groupFilters(key));
  return { spec: absoluteTime(filtered, window), exact };
}

/**
 * A clicked heatmap cell: the cell's value range on the heatmap's column (`>= lower`, `< upper`; the last
 * bucket includes the maximum, so `<= upper` there) and its time bucket. Heatmaps are not split by
 * breakdowns, so no group filters.
 */
export function narrowToHeatmapCell(
  spec: QuerySpec,
  cell: { column: string; time: string; lower: number; upper: number; last: boolean },
  window: ResultWindow,
): { spec: QuerySpec; exact: boolean } {
  const { spec: filtered, exact } = addFilters(spec, [
    { column: cell.column, op: '>=', value: cell.lower },
    { column: cell.column, op: cell.last ? '<=' : '<', value: cell.upper },
  ]);
  return { spec: narrowTime(filtered, cell.time, window), exact };
}

/** Every bucket start of a result's range (series points cover exactly these). */
export function bucketTimes(window: ResultWindow): string[] {
  const step = window.granularity * 1000;
  if (!(step > 0)) return [];
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const times: string[] = [];
  for (let t = Math.floor(start / step) * step; t < end && times.length <= MAX_BUCKETS; t += step) {
    times.push(new Date(t).toISOString());
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------------
// the builder's form: what a person edits, turned into a query when run

export type ColumnType = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'array' | string;

export interface FilterRow {
  column: string;
  op: string;
  /** as typed; lists comma separated */
  value: string;
}

export type TimeForm = { mode: 'relative'; seconds: number } | { mode: 'absolute'; from: number; to: number };

export interface QueryForm {
  source: Source;
  datasets: string[];
  calculations: Calculation[];
  filters: FilterRow[];
  combination: 'AND' | 'OR';
  breakdowns: string[];
  orders: Order[];
  havings: { calculate_op: string; column?: string; op: string; value: string }[];
  limit: string;
  time: TimeForm;
  /** seconds, or null for automatic */
  granularity: number | null;
}

export const DEFAULT_FORM_RANGE = 7 * 86_400;

export function emptyForm(): QueryForm {
  return {
    source: 'spans',
    datasets: [],
    calculations: [{ op: 'COUNT' }],
    filters: [],
    combination: 'AND',
    breakdowns: [],
    orders: [],
    havings: [],
    limit: '',
    time: { mode: 'relative', seconds: DEFAULT_FORM_RANGE },
    granularity: null,
  };
}

function scalarText(value: Scalar | Scalar[] | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (v === null ? '' : String(v))).join(', ');
  return String(value);
}

/** A query as the builder shows it. */
export function specToForm(spec: QuerySpec): QueryForm {
  const form = emptyForm();
  form.source = spec.source ?? 'spans';
  form.datasets = datasetsOf(spec);
  form.calculations =
    spec.calculations && spec.calculations.length > 0 ? spec.calculations.map((c) => ({ ...c })) : [];
  form.filters = (spec.filters ?? []).map((f) => ({
    column: f.column,
    op: f.op,
    value: scalarText(f.value),
  }));
  form.combination = spec.filter_combination === 'OR' ? 'OR' : 'AND';
  form.breakdowns = [...(spec.breakdowns ?? [])];
  form.orders = (spec.orders ?? []).map((o) => ({ ...o }));
  form.havings = (spec.havings ?? []).map((h) => ({ ...h, value: String(h.value) }));
  form.limit = spec.limit === undefined ? '' : String(spec.limit);
  const { time_range: range, start_time: start, end_time: end } = spec;
  if (start !== undefined && end !== undefined) form.time = { mode: 'absolute', from: start, to: end };
  else if (start !== undefined)
    form.time = { mode: 'absolute', from: start, to: start + (range ?? DEFAULT_TIME_RANGE) };
  else if (end !== undefined)
    form.time = { mode: 'absolute', from: end - (range ?? DEFAULT_TIME_RANGE), to: end };
  else form.time = { mode: 'relative', seconds: range ?? DEFAULT_TIME_RANGE };
  form.granularity = spec.granularity ?? null;
  return form;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** One typed value: numbers for number columns, booleans for boolean columns, text otherwise. */
export function parseScalar(text: string, type: ColumnType | undefined, op: string): Scalar {
  const trimmed = text.trim();
  if (
    op === 'contains' ||
    op === 'does-not-contain' ||
    op === 'starts-with' ||
    op === 'does-not-start-with'
  ) {
    return text;
  }
  if (type === 'integer' || type === 'float' || type === 'timestamp') {
    return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
  }
  if (type === 'boolean') {
    if (/^true$/i.test(trimmed)) return true;
    if (/^false$/i.test(trimmed)) return false;
    return trimmed;
  }
  // an attribute of unknown type compared by size reads as a number
  if (type === undefined && ['<', '<=', '>', '>='].includes(op) && NUMBER.test(trimmed))
    return Number(trimmed);
  return type === undefined ? trimmed : text;
}

/** A filter row as the query language takes it. */
export function filterFromRow(row: FilterRow, type: ColumnType | undefined): Filter {
  const column = row.column.trim();
  if (!filterTakesValue(row.op)) return { column, op: row.op };
  if (filterTakesList(row.op)) {
    const values = row.value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((v) => parseScalar(v, type, row.op));
    return { column, op: row.op, value: values };
  }
  return { column, op: row.op, value: parseScalar(row.value, type, row.op) };
}

/**
 * The builder's form as a query: empty rows left out, default values left out, values typed by the
 * column's type (`typeOf` knows the typed columns and discovered attributes).
 */
export function formToSpec(form: QueryForm, typeOf: (column: string) => ColumnType | undefined): QuerySpec {
  const spec: QuerySpec = {};
  if (form.source !== 'spans') spec.source = form.source;
  if (form.datasets.length === 1) spec.dataset = form.datasets[0] as string;
  else if (form.datasets.length > 1) spec.dataset = [...form.datasets];
  const calculations = form.calculations
    .filter((c) => !calculationTakesColumn(c.op) || (c.column ?? '').trim() !== '')
    .map((c) => {
      const calc: Calculation = { op: c.op };
      if (calculationTakesColumn(c.op)) calc.column = (c.column as string).trim();
      if (c.alias) calc.alias = c.alias;
      return calc;
    });
  if (calculations.length > 0) spec.calculations = calculations;
  const filters = form.filters
    .filter((f) => f.column.trim() !== '')
    .map((f) => filterFromRow(f, typeOf(f.column.trim())));
  if (filters.length > 0) spec.filters = filters;
  if (form.combination === 'OR' && filters.length > 1) spec.filter_combination = 'OR';
  const breakdowns = form.breakdowns.map((b) => b.trim()).filter((b) => b !== '');
  if (breakdowns.length > 0) spec.breakdowns = breakdowns;
  const orders = form.orders.filter((o) => o.op !== undefined || (o.column ?? '') !== '');
  if (orders.length > 0) spec.orders = orders.map((o) => ({ ...o }));
  const havings: Having[] = form.havings
    .filter((h) => h.value.trim() !== '' && Number.isFinite(Number(h.value)))
    .map((h) => {
      const having: Having = { calculate_op: h.calculate_op, op: h.op, value: Number(h.value) };
      if (h.column) having.column = h.column;
      return having;
    });
  if (havings.length > 0) spec.havings = havings;
  const limit = Number(form.limit);
  if (form.limit.trim() !== '' && Number.isInteger(limit)) spec.limit = limit;
  if (form.time.mode === 'relative') spec.time_range = form.time.seconds;
  else {
    spec.start_time = form.time.from;
    spec.end_time = form.time.to;
  }
  if (form.granularity !== null) spec.granularity = form.granularity;
  return spec;
}

/** The orders a query can use: its number calculations and its breakdowns. */
export function orderChoices(
  form: Pick<QueryForm, 'calculations' | 'breakdowns'>,
): { label: string; order: Order }[] {
  const choices: { label: string; order: Order }[] = [];
  const seen = new Set<string>();
  for (const calc of form.calculations) {
    if (isHeatmap(calc) || (calculationTakesColumn(calc.op) && !calc.column)) continue;
    const order: Order =
      calc.op === 'COUNT' ? { op: 'COUNT' } : { op: calc.op, column: calc.column as string };
    const label = calcName({ op: calc.op, column: order.column });
    if (!seen.has(label)) choices.push({ label, order });
    seen.add(label);
  }
  for (const column of form.breakdowns) {
    if (column.trim() === '' || seen.has(column)) continue;
    seen.add(column);
    choices.push({ label: column, order: { column } });
  }
  return choices;
}

/** Stable identity of an order's target (for a select's value). */
export function orderKey(order: Pick<Order, 'op' | 'column'>): string {
  return order.op ? `calc:${order.op}:${order.column ?? ''}` : `col:${order.column ?? ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// the column catalogue (GET /api/datasets) for one source

export interface CatalogueColumn {
  name: string;
  type: ColumnType;
  description: string;
  /** typed catalogue column (true) or a discovered attribute */
  typed: boolean;
}

export interface DatasetsLike {
  columns: { name: string; column: string; type: string; description: string }[];
  datasets: { name: string; attributes: { name: string; type: string }[] }[];
}

export interface Catalogue {
  columns: CatalogueColumn[];
  typeOf: (column: string) => ColumnType | undefined;
}

/**
 * The columns a query over `source` can name: the typed columns (by logical name) and the attributes
 * discovered in the chosen datasets (all of the source's datasets when none is chosen).
 */
export function buildCatalogue(info: DatasetsLike | undefined, chosen: readonly string[]): Catalogue {
  const columns: CatalogueColumn[] = [];
  const types = new Map<string, ColumnType>();
  for (const column of info?.columns ?? []) {
    columns.push({ name: column.name, type: column.type, description: column.description, typed: true });
    types.set(column.name, column.type);
    types.set(column.column, column.type);
  }
  const datasets = (info?.datasets ?? []).filter((d) => chosen.length === 0 || chosen.includes(d.name));
  const attributes = new Map<string, { type: string; datasets: string[] }>();
  for (const dataset of datasets) {
    for (const attribute of dataset.attributes) {
      if (types.has(attribute.name)) continue;
      const known = attributes.get(attribute.name);
      if (known) known.datasets.push(dataset.name);
      else attributes.set(attribute.name, { type: attribute.type, datasets: [dataset.name] });
    }
  }
  for (const [name, attribute] of [...attributes].sort((a, b) => a[0].localeCompare(b[0]))) {
    columns.push({
      name,
      type: attribute.type,
      description: `attribute in ${attribute.datasets.join(', ')}`,
      typed: false,
    });
    types.set(name, attribute.type);
  }
  return { columns, typeOf: (column) => types.get(column) };
}

export function isNumericType(type: ColumnType | undefined): boolean {
  return type === 'integer' || type === 'float';
}
