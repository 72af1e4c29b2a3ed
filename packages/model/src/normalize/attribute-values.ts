import type { AttrValue } from '../raw-otlp.ts';

/**
 * Readers that turn an attribute value into a typed column value. Emitters disagree on types (Codex and
 * Claude Code send counts as decimal strings), so numbers are read from numbers or numeric strings.
 */

/** A non-empty string; numbers and booleans are stringified; anything else is null. */
export function readString(value: AttrValue | undefined): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A finite number, from a number or a numeric string; null otherwise. */
export function readNumber(value: AttrValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.length > 0 && value.length < 40) {
    const parsed = Number(value);
    return Number.isFinite(parsed) && value.trim() !== '' ? parsed : null;
  }
  return null;
}

/** A token count: a non-negative integer from a number or a decimal string; null otherwise. */
export function readCount(value: AttrValue | undefined): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 15) return null;
  let result = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    result = result * 10 + digit;
  }
  return result;
}
