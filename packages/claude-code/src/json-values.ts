/** Small readers for untyped JSON: transcripts are an internal, unstable format, so nothing is trusted. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordField(obj: JsonRecord, key: string): JsonRecord | null {
  const value = obj[key];
  return isRecord(value) ? value : null;
}

/** A non-empty string field, else null. */
export function stringField(obj: JsonRecord, key: string): string | null {
  const value = obj[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A non-negative finite count from a number or a decimal string, else null. */
export function countField(obj: JsonRecord | null, key: string): number | null {
  if (obj === null) return null;
  const value = obj[key];
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}

/** An ISO timestamp field as milliseconds since the epoch, else null. */
export function timeField(obj: JsonRecord, key: string): number | null {
  const value = obj[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The text of an Anthropic message `content`: the string itself, or its text blocks joined by newlines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
  }
  return parts.join('\n');
}
