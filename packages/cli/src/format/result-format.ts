/** Renders a query result as an aligned table, CSV or JSON, the way a person reads it. */
export interface ResultLike {
  totals: Record<string, number | null>;
  groups: { key: Record<string, unknown>; values: Record<string, number | null> }[];
  meta?: { sql?: string[]; warnings?: string[] };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  return String(value);
}

/** a group whose key is missing (no such attribute on those rows) */
const NONE = '(none)';

function rowsOf(result: ResultLike, none = ''): { header: string[]; rows: string[][] } {
  const calcs = Object.keys(result.totals);
  const keys = result.groups[0] ? Object.keys(result.groups[0].key) : [];
  const header = [...keys, ...calcs];
  if (keys.length === 0) return { header, rows: [calcs.map((calc) => cell(result.totals[calc]))] };
  const rows = result.groups.map((group) => [
    ...keys.map((key) =>
      group.key[key] === null || group.key[key] === undefined ? none : cell(group.key[key]),
    ),
    ...calcs.map((calc) => cell(group.values[calc])),
  ]);
  return { header, rows };
}

export function formatTable(result: ResultLike): string {
  const { header, rows } = rowsOf(result, NONE);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (values: string[]): string =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function formatCsv(result: ResultLike): string {
  const { header, rows } = rowsOf(result);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
}
