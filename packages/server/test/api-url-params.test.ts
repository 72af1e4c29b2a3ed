import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorBody, resourceSpans, sendSpans } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * Ids in API paths: a conversation id is whatever the sender chose, so it opens by its encoded id
 * whatever it holds (`%`, `/`, spaces, Unicode, hundreds of characters), and a path the server cannot
 * decode is a 400 with the API's error body, never a 500 or the web framework's own body.
 */
const CONVERSATIONS = ['50%-off', 'a%20b', 'team/alpha', 'with space', 'ключ 🔑', `long-${'x'.repeat(300)}`];
const START_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  const spans = CONVERSATIONS.map((id, i) => ({
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: `chat ${i}`,
    startMs: START_MS + i,
    durationMs: 5,
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.conversation.id': id },
  }));
  await sendSpans(server.httpUrl, [resourceSpans('url-params', spans)]);
});
afterAll(async () => {
  await server?.close();
});

describe('ids in API paths', () => {
  it.each(CONVERSATIONS.map((id) => [id.slice(0, 20), id]))(
    'opens the conversation %s by its encoded id',
    async (_label, id) => {
      const response = await call<{ conversationId: string; spans: unknown[] }>(
        server.httpUrl,
        'GET',
        `/api/conversations/${encodeURIComponent(id)}`,
      );
      expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(200);
      expect(response.body.conversationId).toBe(id);
      expect(response.body.spans).toHaveLength(1);
    },
  );

  it('answers a conversation id that is only a percent sign with 404, not 500', async () => {
    const response = await call<ErrorBody>(server.httpUrl, 'GET', '/api/conversations/%25');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    '/api/conversations/%E0%A4%A',
    '/api/conversations/%ff',
    '/api/traces/%',
    `/api/traces/${'ab'.repeat(16)}/spans/%ED%A0%80`,
  ])('answers the undecodable path %s with 400 and the API error body', async (path) => {
    const response = await call<ErrorBody>(server.httpUrl, 'GET', path);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('BAD_REQUEST');
    expect(response.body.error.message).toMatch(/not a valid url/i);
  });

  it('answers an over-long trace id with 400 naming what a trace id is', async () => {
    const response = await call<ErrorBody>(server.httpUrl, 'GET', `/api/traces/${'a'.repeat(500)}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('BAD_REQUEST');
    expect(response.body.error.message).toContain('is not a trace id');
  });
});

/** Times past int64 microseconds had failed in the store (500); the list takes the query language's range. */
describe('times in the conversation list parameters', () => {
  it.each([
    ['start', '999999999999999999999999999999'],
    ['end', '99999999999'],
    ['start', '3000-01-01T00:00:01Z'],
  ])(
    'answers %s=%s (past the year 3000, as in queries) with 400 naming the parameter',
    async (name, value) => {
      const response = await call<ErrorBody>(server.httpUrl, 'GET', `/api/conversations?${name}=${value}`);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('BAD_REQUEST');
      expect(response.body.error.message).toContain(
        `${name}: epoch seconds or an ISO 8601 date up to the year 3000`,
      );
    },
  );

  it('lists every conversation from 1970 to the year 3000', async () => {
    const response = await call<{ conversations: { id: string }[] }>(
      server.httpUrl,
      'GET',
      '/api/conversations?start=0&end=32503680000',
    );
    expect(response.status).toBe(200);
    expect(response.body.conversations.map((c) => c.id).sort()).toEqual([...CONVERSATIONS].sort());
  });
});
