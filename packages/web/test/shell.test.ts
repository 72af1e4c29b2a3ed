import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoServer,
  launchBrowser,
  looksLikeStackTrace,
  openPage,
  startEmptyServer,
} from './browser.ts';

describe('the UI shell, served by loopline serve at /', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startEmptyServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the app at / and at deep links, gzipped, with hashed assets cached', async () => {
    const root = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toContain('text/html');
    const html = await root.text();
    expect(html).toContain('<div id="root">');
    const deep = await fetch(`${server.url}/traces/0123456789abcdef0123456789abcdef`);
    expect(await deep.text()).toBe(html);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('cache-control')).toContain('immutable');
  });

  it('keeps JSON 404s for unknown API paths', async () => {
    const response = await fetch(`${server.url}/api/nope`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('NOT_FOUND');
  });

  it('shows a page that says what to do for an unknown path, with the navigation', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/no/such/page`);
    await page.getByTestId('not-found').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('No page at /no/such/page');
    for (const item of ['The line', 'Query', 'Agents', 'Boards']) {
      await expect(page.getByRole('link', { name: item, exact: true }).count()).resolves.toBe(1);
    }
    expect(looksLikeStackTrace(text)).toBe(false);
    expect(problems).toEqual([]);
  });
});
