import fs from 'node:fs';
import os from 'node:os';

/** cgroup v2 and v1 files holding a container's memory limit */
const CGROUP_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];

/** The memory this process may use: the container's limit when there is one, else the machine's RAM. */
export function availableMemoryBytes(): number {
  const total = os.totalmem();
  for (const file of CGROUP_LIMIT_FILES) {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      const limit = Number(text);
      // "max" (v2) or a huge number (v1) mean no limit
      if (Number.isFinite(limit) && limit > 0 && limit < total) return limit;
    } catch {
      // not in a cgroup with a memory controller
    }
  }
  return total;
}

/**
 * DuckDB's share by default: 40 % of what the process may use (at least 128 MiB), leaving the rest to
 * Node's heap, request bodies in flight and the storage thread's batches. DuckDB's own default is 80 % of
 * RAM whatever the container allows, which got the process killed under a flood of large bodies.
 */
export function defaultStoreMemoryLimit(available = availableMemoryBytes()): string {
  const mib = Math.max(128, Math.floor((available * 0.4) / (1024 * 1024)));
  return `${mib}MiB`;
}

/** '2GB', '512MiB', '1.5GiB' → bytes; a bare number is bytes. Throws on anything else. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size; write e.g. 512MiB or 2GB`);
  const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
    tb: 1e12,
    tib: 1024 ** 4,
  };
  return Math.round(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] as number));
}
