import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostnameOf } from '../src/http/host-guard.ts';
import { request } from './helpers/raw-http.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ grpcPort: null, allowedHosts: ['loopline.example.com', '.team.example'] });
});
afterAll(async () => {
  await server?.close();
});

const query = JSON.stringify({ calculations: [{ op: 'COUNT' }] });
const board = JSON.stringify({ name: 'origin check' });
const json = { 'content-type': 'application/json' };

function post(path: string, body: string, headers: Record<string, string>) {
  return request(`${server.httpUrl}${path}`, { method: 'POST', body, headers: { ...json, ...headers } });
}
const codeOf = (text: string): string => (JSON.parse(text) as { error: { code: string } }).error.code;

describe('the API and the UI answer only to their own host names (DNS rebinding)', () => {
  it('refuses a foreign Host on /api/query and on the UI with 403 HOST_NOT_ALLOWED naming the flag', async () => {
    const api = await post('/api/query', query, { host: `rebind.attacker.example:${server.httpPort}` });
    expect(api.status).toBe(403);
    expect(codeOf(api.text)).toBe('HOST_NOT_ALLOWED');
    expect(JSON.parse(api.text).error.message).toContain('--allowed-hosts rebind.attacker.example');
    const ui = await request(`${server.httpUrl}/`, { headers: { host: 'rebind.attacker.example' } });
    expect(ui.status).toBe(403);
    expect(codeOf(ui.text)).toBe('HOST_NOT_ALLOWED');
  });

  it('answers loopback names and IP addresses, with or without a port', async () => {
    for (const host of [
      `localhost:${server.httpPort}`,
      'localhost',
      `127.0.0.1:${server.httpPort}`,
      `[::1]:${server.httpPort}`,
      'app.localhost:5173',
      '192.168.1.20:4318',
    ]) {
      const res = await post('/api/query', query, { host });
      expect(res.status, host).toBe(200);
    }
  });

  it('answers names given with --allowed-hosts, a leading dot allowing subdomains', async () => {
    for (const host of ['loopline.example.com:4318', 'team.example', 'ci.team.example']) {
      expect((await post('/api/query', query, { host })).status, host).toBe(200);
    }
    expect((await post('/api/query', query, { host: 'example.com' })).status).toBe(403);
  });

  it('keeps OTLP ingest open to any host name', async () => {
    const res = await post('/v1/traces', '{}', { host: 'rebind.attacker.example' });
    expect(res.status).toBe(200);
  });
});

describe('calls that change data are refused from a page of another site', () => {
  it('refuses POST /api/boards from a foreign Origin with 403 ORIGIN_NOT_ALLOWED, and stores nothing', async () => {
    const res = await post('/api/boards', board, { origin: 'https://attacker.example' });
    expect(res.status).toBe(403);
    expect(codeOf(res.text)).toBe('ORIGIN_NOT_ALLOWED');
    const nullOrigin = await post('/api/boards', board, { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    // an IP address may name this server in Host, but a page served from another address is foreign
    const fromAnAddress = await post('/api/boards', board, { origin: 'http://203.0.113.7' });
    expect(fromAnAddress.status).toBe(403);
    expect(codeOf(fromAnAddress.text)).toBe('ORIGIN_NOT_ALLOWED');
    const crossSite = await post('/api/boards', board, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const list = await request(`${server.httpUrl}/api/boards`, {});
    expect(list.text).not.toContain('origin check');
  });

  it('accepts the same origin, a loopback dev server (Vite on :5173) and a call without Origin', async () => {
    const sameOrigins: Record<string, string>[] = [
      { origin: server.httpUrl },
      { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-origin' },
      { origin: 'http://127.0.0.1:5173' },
      {},
    ];
    for (const headers of sameOrigins) {
      const res = await post('/api/boards', board, headers);
      expect(res.status, `${JSON.stringify(headers)} ${res.text}`).toBe(201);
    }
  });
});

describe('hostnameOf', () => {
  it('drops the port and the brackets of an IPv6 literal, and refuses what is no host', () => {
    expect(hostnameOf('Example.COM.:4318')).toBe('example.com');
    expect(hostnameOf('[::1]:4318')).toBe('::1');
    expect(hostnameOf('[::1]')).toBe('::1');
    expect(hostnameOf('localhost')).toBe('localhost');
    expect(hostnameOf('attacker.example@localhost')).toBeNull();
    expect(hostnameOf('a b')).toBeNull();
  });
});
