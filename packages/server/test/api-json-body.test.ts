import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
});
afterAll(async () => {
  await server?.close();
});

async function postText(path: string, text: string): Promise<{ status: number; body: ErrorBody }> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe('JSON request bodies of the API', () => {
  it.each([
    ['/api/query', '{"__proto__": {"limit": 1}}'],
    ['/api/query', '{"filters": [{"column": "name", "op": "=", "value": {"__proto__": 1}}]}'],
    ['/api/boards', '{"name": "b", "constructor": {"prototype": {"x": 1}}}'],
  ])('refuses %s with %s, saying which key is not accepted', async (path, text) => {
    const { status, body } = await postText(path, text);
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_REQUEST');
    const key = text.includes('__proto__') ? '"__proto__"' : '"constructor" with a "prototype"';
    expect(body.error.message).toBe(`a ${key} key is not accepted in a JSON body`);
  });

  it('still calls a broken or empty body what it is', async () => {
    const broken = await postText('/api/query', '{"calculations": [');
    expect([broken.status, broken.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    expect(broken.body.error.message).toMatch(/^the body is not valid JSON: /);
    const empty = await postText('/api/query', '');
    expect([empty.status, empty.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    expect(empty.body.error.message).toBe('the body is empty; send a JSON object');
  });

  it('takes a body with ordinary keys', async () => {
    const response = await fetch(`${server.httpUrl}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ calculations: [{ op: 'COUNT' }], time_range: 60 }),
    });
    expect(response.status).toBe(200);
  });
});
