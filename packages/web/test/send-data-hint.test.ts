import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, exited, type ServeProcess, tempDir } from '../../cli/test/cli-process.ts';
import { type DemoServer, launchBrowser, openPage, startEmptyServer } from './browser.ts';

/** `loopline serve` with an empty store and OTLP/gRPC on a free port (not the default 4317). */
function serveWithGrpc(dataDir: string): Promise<ServeProcess & { grpcPort: number }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /OTLP\/HTTP \+ API\s+(http:\/\/\S+)/.exec(output)?.[1];
      const grpc = /OTLP\/gRPC\s+\S+:(\d+)/.exec(output)?.[1];
      if (url && grpc) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output, grpcPort: Number(grpc) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

/** The empty-store hint names the ports this server really uses: it learns them from GET /api/health. */
describe('how to send data, on an empty store', () => {
  let browser: Browser;
  let withoutGrpc: DemoServer;
  let withGrpc: ServeProcess & { grpcPort: number };
  const dataDir = tempDir('web-hint');

  beforeAll(async () => {
    [browser, withoutGrpc, withGrpc] = await Promise.all([
      launchBrowser(),
      startEmptyServer(),
      serveWithGrpc(dataDir),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await withoutGrpc?.stop();
    withGrpc?.child.kill('SIGTERM');
    if (withGrpc) await exited(withGrpc.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function hintOf(url: string): Promise<string> {
    const { page, problems } = await openPage(browser);
    await page.goto(`${url}/`);
    await page.getByTestId('home-empty').waitFor();
    await expect.poll(() => page.locator('.send-data-hint').innerText()).toMatch(/JSON; OTLP\/gRPC/);
    expect(problems).toEqual([]);
    return page.locator('.send-data-hint').innerText();
  }

  it('names the OTLP/gRPC port in use', async () => {
    expect(withGrpc.grpcPort).not.toBe(4317);
    const hint = await hintOf(withGrpc.url);
    expect(hint).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${withGrpc.url}`);
    expect(hint).toContain(`(OTLP/HTTP, protobuf or JSON; OTLP/gRPC on port ${withGrpc.grpcPort})`);
  });

  it('says OTLP/gRPC is off when it is', async () => {
    const hint = await hintOf(withoutGrpc.url);
    expect(hint).toContain('(OTLP/HTTP, protobuf or JSON; OTLP/gRPC is off on this server)');
    expect(hint).not.toContain('4317');
  });
});
