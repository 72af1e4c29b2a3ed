import type { ServerLimits } from '@loopline/server';
import { usageError } from '../cli-errors.ts';
import { parseDuration } from '../query-flags.ts';

/** The `loopline serve` flags that set the server's limits and the host names it answers to. */
export interface LimitFlags {
  maxInflightBytes?: string;
  maxConnections: string;
  requestTimeout: string;
  bodyIdleTimeout: string;
  allowedHosts?: string;
  memoryLimit?: string;
  queryTimeout: string;
  maxQueryTimeout: string;
}

/** DuckDB's memory limit from `--memory-limit`, in whole MiB as DuckDB takes it (undefined: the default). */
export function memoryLimitOf(flags: LimitFlags): string | undefined {
  if (flags.memoryLimit === undefined) return undefined;
  return `${Math.max(1, Math.floor(byteSize('--memory-limit', flags.memoryLimit) / 1024 ** 2))}MiB`;
}

export function limitsOf(flags: LimitFlags): { limits: Partial<ServerLimits>; allowedHosts: string[] } {
  const queryTimeoutMs = seconds('--query-timeout', flags.queryTimeout) * 1000;
  const maxQueryTimeoutMs = seconds('--max-query-timeout', flags.maxQueryTimeout) * 1000;
  if (queryTimeoutMs > maxQueryTimeoutMs) {
    throw usageError(
      `--query-timeout ${flags.queryTimeout} is over --max-query-timeout ${flags.maxQueryTimeout}`,
    );
  }
  const limits: Partial<ServerLimits> = {
    maxConnections: positiveInteger('--max-connections', flags.maxConnections),
    requestTimeoutMs: seconds('--request-timeout', flags.requestTimeout) * 1000,
    bodyIdleTimeoutMs: seconds('--body-idle-timeout', flags.bodyIdleTimeout) * 1000,
    queryTimeoutMs,
    maxQueryTimeoutMs,
  };
  if (flags.maxInflightBytes !== undefined) {
    limits.maxInflightBytes = byteSize('--max-inflight-bytes', flags.maxInflightBytes);
  }
  const allowedHosts = (flags.allowedHosts ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return { limits, allowedHosts };
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "268435456", "256m", "256MiB", "1.5GB" (binary units) → bytes */
export function byteSize(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|b)?$/i.exec(text.trim());
  const bytes = match ? Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1)) : 0;
  if (bytes <= 0) throw usageError(`${flag} "${text}" is not a size; use bytes or e.g. 256MiB, 1GiB`);
  return bytes;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw usageError(`${flag} "${text}" is not a positive whole number`);
  return value;
}

function seconds(flag: string, text: string): number {
  const value = parseDuration(text);
  if (value <= 0) throw usageError(`${flag} "${text}" must be at least 1s`);
  return value;
}
