import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT, type ServeProcess, spawnServe, tempDir } from '../../cli/test/cli-process.ts';

/**
 * Browser tests drive Debian's Chromium (installed by .ci/run and `npm test` with apt; never a downloaded
 * browser) against the built `loopline serve` loaded with demo data.
 */
export const CHROMIUM = process.env.LOOPLINE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: run "node scripts/ensure-chromium.mjs" (npm test does)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface DemoServer extends ServeProcess {
  dataDir: string;
  stop: () => Promise<void>;
}

/** `loopline serve --demo` on a free loopback port with a fresh store; resolves when the demo is loaded. */
export async function startDemoServer(options: { spans?: number; seed?: number } = {}): Promise<DemoServer> {
  const dataDir = tempDir('web');
  const serve = await spawnServe([
    '--data-dir',
    dataDir,
    '--demo',
    '--demo-spans',
    String(options.spans ?? 20_000),
    '--seed',
    String(options.seed ?? 42),
  ]);
  await waitFor(
    () => /^ready: /m.test(serve.output()),
    120_000,
    () => `demo did not load:\n${serve.output()}`,
  );
  return {
    ...serve,
    dataDir,
    stop: async () => {
      await terminate(serve);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `loopline serve` with an empty store. */
export async function startEmptyServer(): Promise<DemoServer> {
  const dataDir = tempDir('web-empty');
  const serve = await spawnServe(['--data-dir', dataDir]);
  return {
    ...serve,
    dataDir,
    stop: async () => {
      await terminate(serve);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * SIGTERM, then SIGKILL if the server has not exited within 10 s (a shutdown that hangs is a server bug:
 * it is reported on stderr, but must not hang the test run).
 */
async function terminate(serve: ServeProcess): Promise<void> {
  if (serve.child.exitCode !== null || serve.child.signalCode !== null) return;
  const exited = new Promise((resolve) => serve.child.once('exit', resolve));
  serve.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    process.stderr.write(
      `loopline serve (pid ${serve.child.pid}) did not exit 10 s after SIGTERM; killing it\n`,
    );
    serve.child.kill('SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(check: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A page that fails the test on any uncaught page error or console error. */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** POST /api/query as the UI would, for comparing what a page shows with what the API says. */
export async function apiQuery(
  url: string,
  spec: unknown,
): Promise<{
  totals: Record<string, number | null>;
  groups: { key: Record<string, unknown>; values: Record<string, number | null> }[];
}> {
  const response = await fetch(`${url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (!response.ok) throw new Error(`query failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as never;
}

/** Text that a page shows must never look like a stack trace. */
export function looksLikeStackTrace(text: string): boolean {
  return /\n\s+at [^\n]+\(.*:\d+:\d+\)/.test(text) || /\bat [\w.<>]+ \(file:\/\//.test(text);
}
