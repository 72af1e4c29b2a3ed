import { AppError } from '@loopline/model';
import type { Command } from 'commander';
import { loadDemo } from '../demo-loader.ts';
import { DEFAULT_URL } from '../http-client.ts';

interface DemoFlags {
  url: string;
  spans: string;
  seed: string;
  days: string;
  concurrency: string;
  end?: string;
}

function endTime(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(value))
    throw new AppError('BAD_REQUEST', `--end "${text}" is not a date; use ISO or epoch ms`);
  return value;
}

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'send a realistic, seeded week of the whole line (IDE, agents, CI, production, evals) to Loopline',
    )
    .option('--spans <n>', 'about how many spans (200000 by default; 10000000 for benchmarks)', '200000')
    .option('--seed <n>', 'same seed, same data', '42')
    .option('--days <n>', 'days of history ending now', '7')
    .option('--concurrency <n>', 'requests in flight', '4')
    .option('--end <time>', 'end of the demo window (ISO date or epoch milliseconds); default now')
    .option('--url <url>', 'the Loopline server', DEFAULT_URL)
    .action(async (flags: DemoFlags) => {
      await loadDemo({
        url: flags.url,
        spans: Number(flags.spans),
        seed: Number(flags.seed),
        days: Number(flags.days),
        concurrency: Number(flags.concurrency),
        endTimeMs: flags.end ? endTime(flags.end) : undefined,
        log: (line) => void process.stdout.write(`${line}\n`),
      });
    });
}
