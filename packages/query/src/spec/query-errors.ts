import { AppError } from '@loopline/model';
import type { z } from 'zod';

/** Renders a path like `filters[2].value` from zod's or our own path segments. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

const commonPrefix = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
};

/** The closest candidate within a few edits (or extending the name), if any: every "did you mean". */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 4));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // a name longer than the candidate by more than the limit is more edits away (nor is it a prefix of
    // it): a megabyte-long name is not compared letter by letter
    if (name.length - candidate.length > limit) continue;
    const [a, b] = [name.toLowerCase(), candidate.toLowerCase()];
    const shared = commonPrefix(a, b);
    const truncated = shared >= 4 && shared >= 0.75 * a.length;
    const distance = truncated ? a.length - shared + 1 : editDistance(a, b);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

export const didYouMean = (name: string, candidates: readonly string[]): string => {
  const suggestion = closest(name, candidates);
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
};

export function queryInvalid(
  where: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError('QUERY_INVALID', `${where}: ${message}`, { path: where, ...details });
}

export function typeMismatch(
  where: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError('QUERY_TYPE_MISMATCH', `${where}: ${message}`, { path: where, ...details });
}

export interface UnknownNameOptions {
  where: string;
  what: string;
  name: string;
  candidates: readonly string[];
}

/** `unknown calculation "P95(duraton_ms)" in orders[0]; did you mean "P95(duration_ms)"?` */
export function unknownColumn(options: UnknownNameOptions): AppError {
  const { where, what, name, candidates } = options;
  const hint = didYouMean(name, candidates);
  const known = hint === '' && candidates.length > 0 ? ` (known: ${candidates.join(', ')})` : '';
  return new AppError('QUERY_UNKNOWN_COLUMN', `unknown ${what} "${name}" in ${where}${hint}${known}`, {
    path: where,
    name,
    candidates: [...candidates],
  });
}

const PREVIEW_LENGTH = 60;

/**
 * A value the query got, as an error message shows it: a string cut short, a list or object by its kind
 * (it may be megabytes long or nested thousands deep; JSON.stringify of such a value overflowed the stack).
 */
export function preview(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > PREVIEW_LENGTH ? `${value.slice(0, PREVIEW_LENGTH)}…` : value);
  }
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function describeIssue(issue: z.core.$ZodIssue, knownKeys: readonly string[]): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `unknown field ${preview(key)}${didYouMean(key, knownKeys)}`).join(', ');
  }
  if (issue.code === 'invalid_value') {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${preview(issue.input)}`;
  }
  if (issue.code === 'invalid_union') return `expected a string, number, boolean or a list of them`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** One QUERY_INVALID error for a failed schema parse: the first problem in words, all of them in details. */
export function fromZodError(error: z.ZodError, knownKeys: readonly string[]): AppError {
  const issues = error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: describeIssue(issue, knownKeys),
  }));
  const first = issues[0] ?? { path: '', message: 'invalid query' };
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const where = first.path === '' ? '' : `${first.path}: `;
  return new AppError('QUERY_INVALID', `${where}${first.message}${more}`, { issues });
}
