import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningServer, type ServerOptions, startServer } from '../../src/index.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  query(spec: object): Promise<QueryResultJson>;
}

export interface QueryResultJson {
  totals: Record<string, number | null>;
  groups: { key: Record<string, unknown>; values: Record<string, number | null> }[];
  series: {
    key: Record<string, unknown>;
    points: { time: string; values: Record<string, number | null> }[];
  }[];
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `loopline-${prefix}-`));
}

/** A real server on loopback with DuckDB on disk in a temp folder, random ports. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir('server');
  const server = await startServer({ dataDir, httpPort: 0, grpcPort: 0, ...options });
  const query = async (spec: object): Promise<QueryResultJson> => {
    const response = await fetch(`${server.httpUrl}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`query failed ${response.status}: ${JSON.stringify(body)}`);
    return body as QueryResultJson;
  };
  return Object.assign(server, { dataDir, query });
}

/** Linear-interpolation percentile (the definition of quantile_cont), for expected values. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}
