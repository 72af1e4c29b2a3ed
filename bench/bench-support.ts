import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** the repository root: the nearest folder above this file (bundled into bench/dist) holding packages/cli */
export const ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'packages', 'cli')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
})();
const BIN = path.join(ROOT, 'packages/cli/bin/loopline.mjs');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts the built `loopline serve` as its own process, the way a user runs it. */
export function startServe(args: string[]): Promise<ServerProcess> {
  // BENCH_PROFILE=<dir> writes V8 CPU profiles of the server's threads there
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, BIN, 'serve', '--port', '0', '--no-grpc', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /OTLP\/HTTP \+ API\s+(http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({
          child,
          url: match[1],
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

/** user+system CPU seconds of a process and all its threads, from /proc */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Sends `spans` seeded demo spans ending at `endTimeMs` to a running server with `loopline demo`. */
export function loadDemoSpans(url: string, spans: number, endTimeMs: number): void {
  const result = spawnSync(
    process.execPath,
    [BIN, 'demo', '--url', url, '--spans', String(spans), '--end', String(endTimeMs)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('loading the demo failed');
}
