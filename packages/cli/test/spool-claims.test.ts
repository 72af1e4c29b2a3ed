import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainSpool, releaseStaleClaims, spoolFiles, spoolWrite } from '../src/commands/hook-spool.ts';
import { runProcess, tempDir } from './cli-process.ts';
import { bundleCliFromSource } from './cli-source-bundle.ts';

/** A loopback OTLP stub: counts each body it receives, answers 200 `delayMs` after `held` resolves. */
async function countingServer(
  delayMs: number,
  held: Promise<void> = Promise.resolve(),
): Promise<{ url: string; received: Map<string, number>; close: () => Promise<void> }> {
  const received = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.set(body, (received.get(body) ?? 0) + 1);
      const answer = (): void => void res.writeHead(200).end('{}');
      void held.then(() => setTimeout(answer, delayMs));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const body = (i: number): string => JSON.stringify({ resourceSpans: [], file: i });

/** A spool of `n` files written two minutes ago (so their modification times are past the claim limit). */
function oldSpool(n: number): string {
  const dir = path.join(tempDir('spool-claims'), 'spool');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  for (let i = 0; i < n; i++) fs.utimesSync(spoolWrite(dir, body(i)), twoMinutesAgo, twoMinutesAgo);
  return dir;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('spool claims', () => {
  it('a file spooled minutes ago and claimed just now stays claimed', async () => {
    const dir = oldSpool(1);
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await countingServer(0, held);
    const draining = drainSpool(dir, { target: { endpoint: server.url }, timeoutMs: 5000, max: 10 });
    while (server.received.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(releaseStaleClaims(dir)).toBe(0);
    expect(spoolFiles(dir)).toEqual([]);
    release();
    expect(await draining).toMatchObject({ sent: 1, left: 0 });
    expect([...server.received.values()]).toEqual([1]);
    await server.close();
  });

  it('a claim whose sender died is released at once', async () => {
    const dir = oldSpool(1);
    const [name] = spoolFiles(dir);
    fs.renameSync(path.join(dir, name!), path.join(dir, `${name}.sending-${await deadPid()}-${Date.now()}`));
    expect(releaseStaleClaims(dir)).toBe(1);
    expect(spoolFiles(dir)).toEqual([name]);
  });

  it('the spool folder is private to the user (0700, files 0600), an existing one tightened', () => {
    const dir = path.join(tempDir('spool-modes'), 'spool');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const file = spoolWrite(dir, body(1));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const fresh = path.join(tempDir('spool-modes'), 'a', 'spool');
    spoolWrite(fresh, body(2));
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
  });
});

describe('two loopline flush at once (files spooled two minutes ago)', () => {
  let cli: Awaited<ReturnType<typeof bundleCliFromSource>>;
  beforeAll(async () => {
    cli = await bundleCliFromSource();
  }, 60_000);
  afterAll(() => cli?.remove());

  it('deliver each file exactly once, and both exit 0', async () => {
    const files = 40;
    const dir = oldSpool(files);
    const server = await countingServer(15);
    const env = { ...process.env, LOOPLINE_HOME: path.dirname(dir), LOOPLINE_ENDPOINT: server.url };
    const flush = () => runProcess(process.execPath, [cli.bin, 'flush'], { env, timeoutMs: 30_000 });
    const runs = await Promise.all([flush(), flush()]);
    await server.close();
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const notOnce = [...server.received].filter(([, n]) => n !== 1);
    expect({ delivered: server.received.size, notOnce }).toEqual({ delivered: files, notOnce: [] });
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);
});
