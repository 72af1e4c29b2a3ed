import fs from 'node:fs';
import os from 'node:os';
import { DEFAULT_READ_LIMITS } from './storage/read-limits.ts';

/** What one server lets its clients hold: memory for request bodies, connections, and time. */
export interface ServerLimits {
  /** request-body bytes being received, buffered or decoded at once (HTTP and gRPC); past it, 503 */
  maxInflightBytes: number;
  /** open HTTP connections (and, separately, gRPC connections); past it, a new one is closed at once */
  maxConnections: number;
  /** time to receive a request's whole body; past it, 408 and the connection is closed */
  requestTimeoutMs: number;
  /** time a body may go without a byte; past it, 408 and the connection is closed */
  bodyIdleTimeoutMs: number;
  /** time to receive a request's headers */
  headersTimeoutMs: number;
  /** time an idle keep-alive connection stays open */
  keepAliveTimeoutMs: number;
  /** concurrent gRPC streams on one connection */
  grpcMaxConcurrentStreams: number;
  /** a gRPC connection with no call for this long is closed (clients reconnect on their next export) */
  grpcIdleConnectionMs: number;
  /** a request's store reads are stopped in the engine after this long unless it asks for another limit */
  queryTimeoutMs: number;
  /** the most a request may ask for with `?timeout_ms=` */
  maxQueryTimeoutMs: number;
}

const MIB = 1024 * 1024;

/** The machine's memory, or the container's when a cgroup limits it below that. */
export function machineMemoryBytes(): number {
  const candidates = [os.totalmem(), process.constrainedMemory?.() ?? 0, cgroupMemoryLimit()];
  return Math.min(...candidates.filter((bytes) => bytes > 0 && Number.isFinite(bytes)));
}

function cgroupMemoryLimit(): number {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      // cgroup v2 says "max" when unlimited; v1 a number near 2^63
      if (/^\d+$/.test(text)) return Number(text);
    } catch {
      // no cgroup file: not in a container, or not Linux
    }
  }
  return 0;
}

/** an eighth of the machine's (or container's) memory, between 64 MiB and 512 MiB: 256 MiB in 2 GB */
export function defaultInflightBytes(memoryBytes = machineMemoryBytes()): number {
  return Math.min(512 * MIB, Math.max(64 * MIB, Math.floor(memoryBytes / 8)));
}

/**
 * DuckDB's `memory_limit` by default: 40 % of the machine's (or container's) memory, at least 128 MiB,
 * leaving the rest to Node's heap, bodies in flight and the storage thread's batches. DuckDB's own default
 * is 80 % of the machine's RAM whatever the container allows.
 */
export function defaultStoreMemoryLimit(memoryBytes = machineMemoryBytes()): string {
  return `${Math.max(128, Math.floor((memoryBytes * 0.4) / MIB))}MiB`;
}

export function resolveLimits(given: Partial<ServerLimits> = {}): ServerLimits {
  return {
    maxInflightBytes: given.maxInflightBytes ?? defaultInflightBytes(),
    maxConnections: given.maxConnections ?? 1024,
    requestTimeoutMs: given.requestTimeoutMs ?? 60_000,
    bodyIdleTimeoutMs: given.bodyIdleTimeoutMs ?? 10_000,
    headersTimeoutMs: given.headersTimeoutMs ?? 10_000,
    keepAliveTimeoutMs: given.keepAliveTimeoutMs ?? 10_000,
    grpcMaxConcurrentStreams: given.grpcMaxConcurrentStreams ?? 100,
    grpcIdleConnectionMs: given.grpcIdleConnectionMs ?? 300_000,
    queryTimeoutMs: given.queryTimeoutMs ?? DEFAULT_READ_LIMITS.timeoutMs,
    maxQueryTimeoutMs: given.maxQueryTimeoutMs ?? 300_000,
  };
}
