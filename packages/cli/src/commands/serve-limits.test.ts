import { describe, expect, it } from 'vitest';
import { byteSize, limitsOf, memoryLimitOf } from './serve-limits.ts';

const defaults = {
  maxConnections: '1024',
  requestTimeout: '60s',
  bodyIdleTimeout: '10s',
  queryTimeout: '30s',
  maxQueryTimeout: '300s',
};

describe('loopline serve limit flags', () => {
  it('turns the flags into the server limits and allowed host names', () => {
    expect(
      limitsOf({
        ...defaults,
        maxInflightBytes: '256MiB',
        requestTimeout: '2m',
        allowedHosts: 'loopline.example.com, .team.example,',
      }),
    ).toEqual({
      limits: {
        maxInflightBytes: 256 * 1024 * 1024,
        maxConnections: 1024,
        requestTimeoutMs: 120_000,
        bodyIdleTimeoutMs: 10_000,
        queryTimeoutMs: 30_000,
        maxQueryTimeoutMs: 300_000,
      },
      allowedHosts: ['loopline.example.com', '.team.example'],
    });
  });

  it('leaves the in-flight budget to the server (sized from the machine) when not given', () => {
    expect(limitsOf(defaults).limits).not.toHaveProperty('maxInflightBytes');
  });

  it('reads sizes in bytes or binary units', () => {
    expect(byteSize('--x', '1048576')).toBe(1048576);
    expect(byteSize('--x', '512k')).toBe(512 * 1024);
    expect(byteSize('--x', '1.5GB')).toBe(1.5 * 1024 ** 3);
  });

  it('refuses a bad value with a one-line BAD_REQUEST naming the flag', () => {
    expect(() => limitsOf({ ...defaults, maxInflightBytes: 'lots' })).toThrow(
      /--max-inflight-bytes "lots" is not a size/,
    );
    expect(() => limitsOf({ ...defaults, maxConnections: '0' })).toThrow(/--max-connections "0"/);
    expect(() => limitsOf({ ...defaults, bodyIdleTimeout: 'soon' })).toThrow(/not a duration/);
    const thrown = (() => {
      try {
        return limitsOf({ ...defaults, requestTimeout: '0s' });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('--request-timeout'),
    });
  });

  it('turns --memory-limit into whole MiB for DuckDB, and refuses a query timeout over the maximum', () => {
    expect(memoryLimitOf({ ...defaults, memoryLimit: '1.5GiB' })).toBe('1536MiB');
    expect(memoryLimitOf(defaults)).toBeUndefined();
    expect(() => memoryLimitOf({ ...defaults, memoryLimit: 'lots' })).toThrow(/--memory-limit "lots"/);
    expect(() => limitsOf({ ...defaults, queryTimeout: '10m' })).toThrow(
      /--query-timeout 10m is over --max-query-timeout 300s/,
    );
  });
});
