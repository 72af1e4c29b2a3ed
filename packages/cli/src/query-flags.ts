import { usageError } from './cli-errors.ts';

/** Turns `loopline query` flags into a query spec (the same JSON that POST /api/query takes). */
export interface QueryFlags {
  calc?: string[];
  where?: string[];
  or?: boolean;
  group?: string[];
  order?: string[];
  having?: string[];
  limit?: string;
  timeRange?: string;
  start?: string;
  end?: string;
  granularity?: string;
  dataset?: string[];
  source?: string;
}

const FILTER_OPS = [
  'does-not-start-with',
  'does-not-contain',
  'does-not-exist',
  'starts-with',
  'contains',
  'exists',
  'not-in',
  'in',
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
];

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d|w)?$/.exec(text.trim());
  if (!match) throw usageError(`"${text}" is not a duration; use e.g. 90s, 30m, 2h, 7d`);
  const scale = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[match[2] ?? 's'] ?? 1;
  return Math.round(Number(match[1]) * scale);
}

function parseTime(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw usageError(`"${text}" is not a time; use epoch seconds or an ISO date`);
  return Math.floor(ms / 1000);
}

export function parseCalc(text: string): { op: string; column?: string } {
  const match = /^([A-Za-z_0-9]+)(?:\((.*)\))?$/.exec(text.trim());
  if (!match) throw usageError(`"${text}" is not a calculation; use e.g. COUNT, P95(duration_ms)`);
  const op = (match[1] ?? '').toUpperCase();
  return match[2] ? { op, column: match[2].trim() } : { op };
}

export function parseValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text)) return Number(text);
  return text.replace(/^"(.*)"$/, '$1');
}

export function parseFilter(text: string): { column: string; op: string; value?: unknown } {
  for (const op of FILTER_OPS) {
    const at = text.indexOf(` ${op}`);
    if (at <= 0) continue;
    const rest = text.slice(at + op.length + 1);
    if (rest !== '' && !rest.startsWith(' ')) continue;
    const column = text.slice(0, at).trim();
    const raw = rest.trim();
    if (op === 'exists' || op === 'does-not-exist') return { column, op };
    if (raw === '') throw usageError(`filter "${text}" needs a value after "${op}"`);
    const value =
      op === 'in' || op === 'not-in' ? raw.split(',').map((v) => parseValue(v.trim())) : parseValue(raw);
    return { column, op, value };
  }
  throw usageError(`"${text}" is not a filter; use "<column> <op> <value>", e.g. "duration_ms > 500"`);
}

function parseOrder(text: string): Record<string, unknown> {
  const [target = '', direction = 'desc'] = text.trim().split(/\s+/);
  const order = direction.toLowerCase().startsWith('asc') ? 'ascending' : 'descending';
  const calc = /\(|^[A-Z_0-9]+$/.test(target) ? parseCalc(target) : undefined;
  return calc ? { ...calc, order } : { column: target, order };
}

function parseHaving(text: string): Record<string, unknown> {
  const match = /^(\S+)\s*(<=|>=|!=|=|<|>)\s*(\S+)$/.exec(text.trim());
  if (!match) throw usageError(`"${text}" is not a having clause; use e.g. "COUNT > 10"`);
  const calc = parseCalc(match[1] ?? '');
  return { calculate_op: calc.op, column: calc.column, op: match[2], value: Number(match[3]) };
}

export function specFromFlags(flags: QueryFlags): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (flags.source) spec.source = flags.source;
  if (flags.dataset?.length) spec.dataset = flags.dataset.length === 1 ? flags.dataset[0] : flags.dataset;
  if (flags.calc?.length) spec.calculations = flags.calc.map(parseCalc);
  if (flags.where?.length) spec.filters = flags.where.map(parseFilter);
  if (flags.or) spec.filter_combination = 'OR';
  if (flags.group?.length) spec.breakdowns = flags.group;
  if (flags.order?.length) spec.orders = flags.order.map(parseOrder);
  if (flags.having?.length) spec.havings = flags.having.map(parseHaving);
  if (flags.limit) spec.limit = Number(flags.limit);
  if (flags.timeRange) spec.time_range = parseDuration(flags.timeRange);
  if (flags.start) spec.start_time = parseTime(flags.start);
  if (flags.end) spec.end_time = parseTime(flags.end);
  if (flags.granularity) spec.granularity = parseDuration(flags.granularity);
  return spec;
}
