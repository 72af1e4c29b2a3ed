import { afterAll, describe, expect, it } from 'vitest';
import { call } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function started(grpcPort: number | null): Promise<TestServer> {
  const server = await startTestServer({ grpcPort });
  servers.push(server);
  return server;
}

/** The web UI learns the ports only over HTTP: its hints name them from GET /api/health. */
describe('GET /api/health names the ports in use', () => {
  it('reports the HTTP and OTLP/gRPC ports the server listens on', async () => {
    const server = await started(0);
    expect(server.grpcPort).toEqual(expect.any(Number));
    const health = await call<{ ports: unknown }>(server.httpUrl, 'GET', '/api/health');
    expect(health.body.ports).toEqual({ http: server.httpPort, grpc: server.grpcPort });
  });

  it('reports gRPC as null when it is off', async () => {
    const server = await started(null);
    const health = await call<{ ports: unknown }>(server.httpUrl, 'GET', '/api/health');
    expect(health.body.ports).toEqual({ http: server.httpPort, grpc: null });
  });
});
