import fs from 'node:fs';
import { AppError } from '@loopline/model';
import type { Command } from 'commander';
import { formatCsv, formatTable, type ResultLike } from '../format/result-format.ts';
import { DEFAULT_URL, postJson } from '../http-client.ts';
import { parseDuration, type QueryFlags, specFromFlags } from '../query-flags.ts';

interface QueryCommandFlags extends QueryFlags {
  json?: string;
  file?: string;
  format: string;
  url: string;
  showSql?: boolean;
  timeout?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function queryCommand(program: Command): void {
  program
    .command('query')
    .description(
      'ask Loopline a question: flags, or a JSON query (--json / --file); see docs/query-language.md',
    )
    .option('--json <spec>', 'the query as JSON text')
    .option('--file <path>', 'a file holding the query as JSON')
    .option('--source <table>', 'spans, logs or metrics', undefined)
    .option('--dataset <name>', 'only this dataset (service.name); repeatable', collect)
    .option('--calc <calculation>', 'COUNT, SUM(col), P95(duration_ms), HEATMAP(col) …; repeatable', collect)
    .option(
      '--where <filter>',
      '"<column> <op> <value>", e.g. "gen_ai.operation.name = chat"; repeatable',
      collect,
    )
    .option('--or', 'combine filters with OR instead of AND')
    .option('--group <column>', 'break down by a column or attribute; repeatable', collect)
    .option('--order <order>', '"COUNT desc", "P95(duration_ms) asc" or "<column> asc"; repeatable', collect)
    .option('--having <having>', '"COUNT > 10"; repeatable', collect)
    .option('--limit <n>', 'groups to return')
    .option('--time-range <duration>', 'how far back: 90s, 30m, 2h, 7d (default 2h)')
    .option('--start <time>', 'start (epoch seconds or ISO)')
    .option('--end <time>', 'end (epoch seconds or ISO)')
    .option('--granularity <duration>', 'time series bucket size')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--show-sql', 'print the SQL Loopline ran')
    .option('--timeout <duration>', "stop the query after this long (default: the server's, 30s)")
    .option('--url <url>', 'the Loopline server', DEFAULT_URL)
    .action(async (flags: QueryCommandFlags) => {
      const spec = readSpec(flags);
      const params = new URLSearchParams();
      if (flags.showSql) params.set('show_sql', 'true');
      if (flags.timeout !== undefined) params.set('timeout_ms', String(parseDuration(flags.timeout) * 1000));
      const path = `/api/query${params.size > 0 ? `?${params}` : ''}`;
      const result = await postJson<ResultLike>(`${flags.url}${path}`, spec);
      // what the server cut or guessed (series of the first groups only, a column read from attributes)
      for (const warning of result.meta?.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`${render(result, flags.format)}\n`);
      if (flags.showSql && flags.format !== 'json') {
        for (const sql of result.meta?.sql ?? []) process.stdout.write(`\n${sql}\n`);
      }
    });
}

function readSpec(flags: QueryCommandFlags): unknown {
  const parse = (text: string, where: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new AppError('QUERY_INVALID', `${where} is not valid JSON: ${(error as Error).message}`);
    }
  };
  if (flags.json) return { ...(parse(flags.json, '--json') as object), ...specFromFlags(flags) };
  if (flags.file)
    return { ...(parse(fs.readFileSync(flags.file, 'utf8'), flags.file) as object), ...specFromFlags(flags) };
  return specFromFlags(flags);
}

function render(result: ResultLike, format: string): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  if (format === 'csv') return formatCsv(result);
  if (format === 'table') return formatTable(result);
  throw new AppError('BAD_REQUEST', `unknown --format "${format}"; use table, json or csv`);
}
