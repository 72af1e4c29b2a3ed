import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultInflightBytes, defaultStoreMemoryLimit, startServer } from '@loopline/server';
import type { Command } from 'commander';
import { loadDemo } from '../demo-loader.ts';
import type { BundleFiles } from '../main.ts';
import { VERSION } from '../version.ts';
import { type LimitFlags, limitsOf, memoryLimitOf } from './serve-limits.ts';

interface ServeFlags extends LimitFlags {
  dataDir: string;
  host: string;
  port: string;
  grpcPort: string;
  grpc: boolean;
  prices?: string;
  captureContent?: boolean;
  demo?: boolean;
  demoSpans: string;
  seed: string;
  maxPendingRows: string;
}

export function serveCommand(program: Command, files: BundleFiles): void {
  program
    .command('serve')
    .description('start Loopline: OTLP/HTTP + API on --port, OTLP/gRPC on --grpc-port, data in --data-dir')
    .option(
      '--data-dir <dir>',
      'where the DuckDB store lives',
      process.env.LOOPLINE_DATA_DIR ?? '.loopline/data',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'OTLP/HTTP, API and UI port', '4318')
    .option('--grpc-port <port>', 'OTLP/gRPC port', '4317')
    .option('--no-grpc', 'do not start the OTLP/gRPC listener')
    .option('--prices <file>', 'a JSON price table merged over the bundled one')
    .option('--capture-content', 'store prompt and response bodies (dropped before storage by default)')
    .option('--demo', 'load the demo week when the store has no spans yet')
    .option('--demo-spans <n>', 'demo size in spans', '200000')
    .option('--seed <n>', 'demo seed', '42')
    .option(
      '--max-pending-rows <n>',
      'answer 503 + Retry-After when this many rows wait for the store',
      '250000',
    )
    .option(
      '--max-inflight-bytes <size>',
      `request bytes received at once, HTTP and gRPC; past it 503 + Retry-After (default: 1/8 of memory, 64-512 MiB: ${Math.round(defaultInflightBytes() / 2 ** 20)}MiB here)`,
    )
    .option('--max-connections <n>', 'open connections per port; past it a new one is closed', '1024')
    .option('--request-timeout <duration>', 'time to receive a whole request body, then 408', '60s')
    .option('--body-idle-timeout <duration>', 'time a request body may send nothing, then 408', '10s')
    .option(
      '--memory-limit <size>',
      `memory the store (DuckDB) may use before it spills to disk (default: 40% of memory: ${defaultStoreMemoryLimit()} here)`,
    )
    .option('--query-timeout <duration>', 'a query is stopped after this long unless it asks for more', '30s')
    .option('--max-query-timeout <duration>', 'the longest a query may ask for (?timeout_ms=)', '300s')
    .option(
      '--allowed-hosts <names>',
      'host names the API and UI answer to besides localhost, IP addresses and this machine (comma-separated; .example.com for subdomains)',
    )
    .action(async (flags: ServeFlags) => {
      const log = (line: string): void => void process.stdout.write(`${line}\n`);
      const { limits, allowedHosts } = limitsOf(flags);
      const server = await startServer({
        dataDir: path.resolve(flags.dataDir),
        host: flags.host,
        httpPort: Number(flags.port),
        grpcPort: flags.grpc ? Number(flags.grpcPort) : null,
        storageWorkerUrl: files.storageWorker,
        webRoot: fileURLToPath(files.webRoot),
        pricesFile: flags.prices,
        captureContent: flags.captureContent ?? false,
        maxPendingRows: Number(flags.maxPendingRows),
        limits,
        allowedHosts,
        memoryLimit: memoryLimitOf(flags),
        version: VERSION,
        log,
      });
      log(`Loopline ${VERSION} is running`);
      log(`  OTLP/HTTP + API  ${server.httpUrl}   (open it in a browser for the UI)`);
      if (server.grpcPort !== null) log(`  OTLP/gRPC        ${flags.host}:${server.grpcPort}`);
      log(`  data             ${path.resolve(flags.dataDir)}`);
      let stopping = false;
      const stop = async (): Promise<void> => {
        if (stopping) {
          log('stopping now (second signal)');
          process.exit(1);
        }
        stopping = true;
        log('stopping… (the store is checkpointed first; a second Ctrl+C exits at once)');
        // every acknowledged write is already committed, so a stop that hangs can be cut short safely
        setTimeout(() => {
          log('stop took over 60 s; exiting anyway (acknowledged data is committed)');
          process.exit(1);
        }, 60_000).unref();
        await server.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      if (flags.demo) await maybeLoadDemo(server.httpUrl, server.queries, flags, log);
    });
}

async function maybeLoadDemo(
  url: string,
  queries: { query(input: unknown): Promise<{ totals: Record<string, number | null> }> },
  flags: ServeFlags,
  log: (line: string) => void,
): Promise<void> {
  const existing = await queries.query({ calculations: [{ op: 'COUNT' }], time_range: 3650 * 86400 });
  const count = Object.values(existing.totals)[0] ?? 0;
  if (count && count > 0) {
    log(`demo: the store already holds ${count.toLocaleString('en-US')} spans; not loading the demo again`);
    return;
  }
  log(
    `demo: loading a week of the line (${Number(flags.demoSpans).toLocaleString('en-US')} spans, seed ${flags.seed})`,
  );
  await loadDemo({ url, spans: Number(flags.demoSpans), seed: Number(flags.seed), days: 7, log });
  log(
    `ready: open ${url} in a browser, or run "npx loopline query --url ${url} --calc COUNT --group gen_ai.request.model --time-range 7d"`,
  );
}
