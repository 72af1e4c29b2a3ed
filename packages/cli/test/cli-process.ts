import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'packages/cli/bin/loopline.mjs');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `loopline-${prefix}-`));
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs the built `loopline serve` as its own process and waits for it to print its address. */
export function spawnServe(args: string[]): Promise<ServeProcess> {
  if (!fs.existsSync(path.join(ROOT, 'packages/cli/dist/loopline.mjs'))) {
    throw new Error('packages/cli/dist is missing: run "npm run build" (npm test does it for you)');
  }
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-grpc', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /OTLP\/HTTP \+ API\s+(http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** wall time from spawn to exit */
  ms: number;
}

export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** written to stdin, which is then closed (without it stdin is closed at once) */
  stdin?: string;
  /** SIGKILL after this long */
  timeoutMs?: number;
}

/** Runs a process to its end and collects its output (every CLI, hook and assistant test runs through it). */
export function runProcess(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): Promise<ProcessRun> {
  const started = performance.now();
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const timer =
    options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started });
    }),
  );
}

/** The built `loopline` CLI with these arguments. */
export function runCli(args: string[], options: ProcessOptions = {}): Promise<ProcessRun> {
  return runProcess(process.execPath, [BIN, ...args], options);
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
