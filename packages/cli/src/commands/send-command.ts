import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@loopline/model';
import type { Command } from 'commander';
import { DEFAULT_URL, postOtlp } from '../http-client.ts';

interface SendFlags {
  url: string;
  signal?: string;
}

const SIGNAL_KEYS: Readonly<Record<string, string>> = {
  resourceSpans: 'traces',
  resource_spans: 'traces',
  resourceLogs: 'logs',
  resource_logs: 'logs',
  resourceMetrics: 'metrics',
  resource_metrics: 'metrics',
};

function signalOf(file: string, body: Buffer, isJson: boolean, forced: string | undefined): string {
  if (forced) return forced;
  if (isJson) {
    const head = body.subarray(0, 4096).toString('utf8');
    for (const [key, signal] of Object.entries(SIGNAL_KEYS)) if (head.includes(`"${key}"`)) return signal;
  }
  const name = path.basename(file).toLowerCase();
  for (const signal of ['traces', 'logs', 'metrics']) if (name.includes(signal.slice(0, -1))) return signal;
  throw new AppError(
    'BAD_REQUEST',
    `cannot tell which signal ${file} holds; pass --signal traces|logs|metrics`,
  );
}

export function sendCommand(program: Command): void {
  program
    .command('send')
    .description('post OTLP files to Loopline (.json as OTLP/JSON, anything else as protobuf; .gz gzipped)')
    .argument('<files...>', 'OTLP request files')
    .option('--signal <signal>', 'traces, logs or metrics (default: from the file)')
    .option('--url <url>', 'the Loopline server', DEFAULT_URL)
    .action(async (files: string[], flags: SendFlags) => {
      for (const file of files) {
        const gz = file.endsWith('.gz');
        const isJson = file.replace(/\.gz$/, '').endsWith('.json');
        const body = fs.readFileSync(file);
        const plain = gz ? (await import('node:zlib')).gunzipSync(body) : body;
        const signal = signalOf(file, plain, isJson, flags.signal);
        const { status, text } = await postOtlp(`${flags.url}/v1/${signal}`, {
          body,
          contentType: isJson ? 'application/json' : 'application/x-protobuf',
          contentEncoding: gz ? 'gzip' : undefined,
        });
        if (status !== 200) {
          throw new AppError('BAD_REQUEST', `${file}: the server answered ${status}: ${printable(text)}`);
        }
        process.stdout.write(
          `${file}: sent to /v1/${signal}${text && isJson && text !== '{}' ? ` (${text})` : ''}\n`,
        );
      }
    });
}

function printable(text: string): string {
  const trimmed = text.startsWith('{') ? text : text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return trimmed.slice(0, 300);
}
