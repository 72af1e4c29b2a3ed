import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/test-server.ts';

describe('when the store fails under the receiver', () => {
  it('answers 503 with Retry-After (so exporters keep their data and retry) and stays up', async () => {
    const server = await startTestServer({ grpcPort: null });
    await server.storage.close();
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '1'.repeat(32),
                  spanId: '1'.repeat(16),
                  name: 'x',
                  startTimeUnixNano: String(now - 1000n),
                  endTimeUnixNano: String(now),
                },
              ],
            },
          ],
        },
      ],
    });
    const response = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { message: string }).message).toMatch(/^STORAGE_FAILED: /);
    expect((await fetch(`${server.httpUrl}/api/health`)).status).toBe(200);
    await server.close().catch(() => undefined);
  });
});
