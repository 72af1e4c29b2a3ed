/** Conversions from whatever a driver returns (bigint, numeric strings, Dates) to plain JSON values. */
export type KeyValue = string | number | boolean | null;

/** Numbers as numbers: DuckDB's BIGINT/HUGEINT arrive as bigint, some drivers send numeric text. */
export function toNumber(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isNaN(raw) ? null : raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw);
    return Number.isNaN(n) ? null : n;
  }
  if (raw instanceof Date) return raw.getTime();
  return null;
}

export function toKeyValue(raw: unknown, isTimestamp: boolean): KeyValue {
  if (raw === null || raw === undefined) return null;
  if (isTimestamp) {
    const ms = toNumber(raw);
    return ms === null ? null : new Date(ms).toISOString();
  }
  if (typeof raw === 'string' || typeof raw === 'boolean' || typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();
