import { describe, expect, it } from 'vitest';
import { defaultInflightBytes, machineMemoryBytes, resolveLimits } from './server-limits.ts';

const MIB = 1024 * 1024;

describe('server limits', () => {
  it('sizes the in-flight budget at an eighth of memory, between 64 and 512 MiB', () => {
    expect(defaultInflightBytes(2 * 1024 * MIB)).toBe(256 * MIB);
    expect(defaultInflightBytes(256 * MIB)).toBe(64 * MIB);
    expect(defaultInflightBytes(64 * 1024 * MIB)).toBe(512 * MIB);
  });

  it('reads the machine memory as a positive figure no larger than the total', () => {
    const memory = machineMemoryBytes();
    expect(memory).toBeGreaterThan(0);
    expect(Number.isFinite(memory)).toBe(true);
  });

  it('fills each limit not given with its default', () => {
    const limits = resolveLimits({ maxConnections: 8 });
    expect(limits.maxConnections).toBe(8);
    expect(limits.requestTimeoutMs).toBe(60_000);
    expect(limits.maxInflightBytes).toBe(defaultInflightBytes());
  });
});
