/**
 * npm run bench:ui — the trace waterfall with one trace of 10,000 spans, in Debian's Chromium:
 * time to first render (navigation start → first waterfall row; the page sets the performance mark
 * `loopline:waterfall-rendered`), median of 5 loads; scroll smoothness (the waterfall scrolled through
 * every row, one screen per animation frame: frames and p95 frame time); rows in the DOM (virtualisation);
 * and the gzipped size of the JavaScript the UI ships. Prints figures; asserts nothing about time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchBrowser } from '../packages/web/test/browser.ts';
import { fmt, quantile, ROOT, startServe } from './bench-support.ts';
import { bigTrace, sendOtlpJson, waitForTrace } from './big-trace.ts';

const SPANS = Number(process.env.BENCH_SPANS ?? 10_000);
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const MARK = 'loopline:waterfall-rendered';

/** The few DOM APIs the in-page functions use (this file compiles without the DOM library). */
interface InPageElement {
  scrollTop: number;
  clientHeight: number;
  scrollHeight: number;
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<InPageElement> & Iterable<InPageElement>;
}
interface InPage {
  document: InPageElement & { querySelector(selector: string): InPageElement | null };
  requestAnimationFrame(callback: (now: number) => void): number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ms = (n: number): string => `${n.toFixed(0).padStart(6)} ms`;

function shippedJavaScript(): { files: number; raw: number; gzip: number } {
  const dir = path.join(ROOT, 'packages/cli/dist/web/assets');
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const body = fs.readFileSync(path.join(dir, name));
    raw += body.length;
    gzip += zlib.gzipSync(body, { level: 9 }).length;
    files++;
  }
  return { files, raw, gzip };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopline-bench-ui-'));
  const server = await startServe(['--data-dir', dataDir]);
  const browser = await launchBrowser();
  try {
    const trace = bigTrace({ spans: SPANS });
    const sendStarted = performance.now();
    await sendOtlpJson(server.url, trace.request);
    await waitForTrace(server.url, trace.traceId, trace.spanCount);
    process.stdout.write(
      `bench:ui — one trace of ${fmt(trace.spanCount)} spans (${fmt(trace.errorSpanIds.length)} errors) sent over OTLP/HTTP JSON and stored in ${ms(performance.now() - sendStarted).trim()}\n`,
    );
    const traceUrl = `${server.url}/traces/${trace.traceId}`;

    const firstRender: number[] = [];
    const apiTimes: number[] = [];
    let domRows = 0;
    let pageJs = { bytes: 0, files: 0 };
    for (let i = 0; i < LOADS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(traceUrl);
      await page.getByTestId('waterfall-row').first().waitFor();
      const timing = await page.evaluate((mark) => {
        const { document } = globalThis as unknown as InPage;
        const entry = performance.getEntriesByName(mark)[0];
        const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/traces/')) as
          | { startTime: number; responseEnd: number }
          | undefined;
        // what this page fetched as JavaScript, as sent (gzip): the trace page does not load the chart chunks
        const scripts = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.endsWith('.js')) as unknown as { encodedBodySize: number }[];
        return {
          rendered: entry ? entry.startTime : null,
          api: api ? api.responseEnd - api.startTime : null,
          rows: document.querySelectorAll('[data-testid="waterfall-row"]').length,
          pageJs: scripts.reduce((sum, e) => sum + e.encodedBodySize, 0),
          pageJsFiles: scripts.length,
        };
      }, MARK);
      await context.close();
      if (timing.rendered === null) throw new Error(`the page did not set the ${MARK} mark`);
      if (i === 0) continue; // the first load warms the server's caches and the browser
      firstRender.push(timing.rendered);
      if (timing.api !== null) apiTimes.push(timing.api);
      domRows = timing.rows;
      pageJs = { bytes: timing.pageJs, files: timing.pageJsFiles };
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(traceUrl);
    await page.getByTestId('waterfall-row').first().waitFor();
    const scroll = await page.evaluate(async () => {
      const { document, requestAnimationFrame } = globalThis as unknown as InPage;
      const scroller = document.querySelector('[data-testid="waterfall"]') as InPageElement;
      const frames: number[] = [];
      let maxRows = 0;
      const step = scroller.clientHeight;
      await new Promise<void>((resolve) => {
        let last = performance.now();
        const frame = (now: number): void => {
          frames.push(now - last);
          last = now;
          maxRows = Math.max(maxRows, scroller.querySelectorAll('[data-testid="waterfall-row"]').length);
          if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) {
            resolve();
            return;
          }
          scroller.scrollTop += step;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(frame);
        });
      });
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
      const names = [...scroller.querySelectorAll('[data-testid="waterfall-name"]')].map(
        (n) => n.textContent,
      );
      return { frames: frames.slice(1), maxRows, lastName: names[names.length - 1] ?? null };
    });
    await context.close();

    const js = shippedJavaScript();
    const p95 = quantile(scroll.frames, 0.95);
    const lines = [
      `  time to first render (navigation → first row)  median ${ms(median(firstRender))}   target < 1000 ms   (${firstRender.map((v) => v.toFixed(0)).join(', ')} ms over ${firstRender.length} loads)`,
      `  GET /api/traces/:id?view=waterfall             median ${ms(median(apiTimes))}`,
      `  scroll through ${fmt(trace.spanCount)} rows, one screen a frame  ${fmt(scroll.frames.length)} frames   p50 ${quantile(scroll.frames, 0.5).toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   max ${Math.max(...scroll.frames).toFixed(1)} ms   over 33 ms: ${scroll.frames.filter((f) => f > 33.4).length}`,
      `  rows in the DOM                                 ${fmt(domRows)} at load, at most ${fmt(scroll.maxRows)} while scrolling (of ${fmt(trace.spanCount)}); last row "${scroll.lastName}"`,
      `  JavaScript shipped                              ${fmt(js.gzip / 1024)} KiB gzipped (level 9), ${fmt(js.raw / 1024)} KiB raw, ${js.files} file${js.files === 1 ? '' : 's'}`,
      `  JavaScript the trace page loads                 ${fmt(pageJs.bytes / 1024)} KiB as sent (gzip), ${pageJs.files} file${pageJs.files === 1 ? '' : 's'} (pages are separate chunks)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
