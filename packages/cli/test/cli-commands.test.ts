import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { decodeTracesJson, encodeTracesProto } from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, runCli, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

let serve: ServeProcess;
const dir = tempDir('cli-files');
const now = Date.now();

function tracesJson(dataset: string, model: string, n: number): string {
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, 'a'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: `chat ${model}`,
    startTimeUnixNano: `${now - 60_000 + i}000000`,
    endTimeUnixNano: `${now - 59_000 + i}000000`,
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: model } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: String(10 + i) } },
    ],
  }));
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: dataset } }] },
        scopeSpans: [{ spans }],
      },
    ],
  });
}

beforeAll(async () => {
  serve = await spawnServe(['--data-dir', tempDir('cli-commands')]);
  fs.writeFileSync(path.join(dir, 'a.json'), tracesJson('cli-files', 'gpt-5', 3));
  fs.writeFileSync(
    path.join(dir, 'b.pb'),
    encodeTracesProto(decodeTracesJson(tracesJson('cli-files', 'gpt-5-mini', 2))),
  );
  fs.writeFileSync(path.join(dir, 'c.json.gz'), zlib.gzipSync(tracesJson('cli-files', 'gemini-2.5-pro', 4)));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"resourceSpans": {}}');
});
afterAll(async () => {
  serve?.child.kill('SIGKILL');
  if (serve) await exited(serve.child);
});

describe('loopline send and loopline query against a running server', () => {
  it('sends OTLP/JSON, protobuf and gzipped files', async () => {
    const files = ['a.json', 'b.pb', 'c.json.gz'].map((f) => path.join(dir, f));
    const sent = await runCli(['send', '--url', serve.url, '--signal', 'traces', ...files]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('prints a table a person can read', async () => {
    const result = await runCli([
      'query',
      '--url',
      serve.url,
      '--dataset',
      'cli-files',
      '--calc',
      'COUNT',
      '--calc',
      'SUM(gen_ai.usage.output_tokens)',
      '--group',
      'gen_ai.request.model',
      '--order',
      'COUNT desc',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^gen_ai\.request\.model\s+COUNT\s+SUM\(gen_ai\.usage\.output_tokens\)$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/))).toEqual([
      ['gemini-2.5-pro', '4', String(10 + 11 + 12 + 13)],
      ['gpt-5', '3', String(10 + 11 + 12)],
      ['gpt-5-mini', '2', String(10 + 11)],
    ]);
  });

  it('prints CSV and JSON, and the SQL on request', async () => {
    const csv = await runCli([
      'query',
      '--url',
      serve.url,
      '--dataset',
      'cli-files',
      '--calc',
      'COUNT',
      '--format',
      'csv',
    ]);
    expect(csv.stdout.trim()).toBe('COUNT\n9');
    const json = await runCli([
      'query',
      '--url',
      serve.url,
      '--json',
      '{"dataset":"cli-files","calculations":[{"op":"MAX","column":"duration_ms"}]}',
      '--format',
      'json',
      '--show-sql',
    ]);
    const body = JSON.parse(json.stdout) as { totals: Record<string, number>; meta: { sql: string[] } };
    expect(body.totals).toEqual({ 'MAX(duration_ms)': 1000 });
    expect(body.meta.sql.join('\n')).toContain('"spans"');
  });

  it('reports a rejected file in one line and exits 1', async () => {
    const result = await runCli([
      'send',
      '--url',
      serve.url,
      '--signal',
      'traces',
      path.join(dir, 'broken.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/broken\.json: the server answered 400: .*OTLP_MALFORMED_BODY/);
  });

  it('says what to write for an invalid query', async () => {
    const result = await runCli(['query', '--url', serve.url, '--calc', 'MEDIAN(duration_ms)']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^loopline: QUERY_INVALID: .*MEDIAN/);
  });

  it('passes --timeout on, refuses one over the server maximum, and prints what the server cut', async () => {
    const args = ['query', '--url', serve.url, '--dataset', 'cli-files', '--time-range', '2h'];
    const ok = await runCli([...args, '--calc', 'COUNT', '--timeout', '20s']);
    expect(ok.code).toBe(0);
    const tooLong = await runCli([...args, '--calc', 'COUNT', '--timeout', '1h']);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^loopline: BAD_REQUEST: timeout_ms must be .* from 1 to 300000/);
    // 900 eight-second buckets for each of up to 1,000 groups: the series are cut, the groups are not
    const cut = await runCli([
      ...args,
      ...['--calc', 'COUNT', '--group', 'span_id', '--granularity', '8s', '--limit', '1000'],
    ]);
    expect(cut.code).toBe(0);
    expect(cut.stderr).toMatch(/^warning: series are shown for the first 111 of up to 1000 groups/);
    const whole = await runCli([...args, '--calc', 'COUNT', '--group', 'span_id', '--limit', '800']);
    expect(whole.stderr).toBe('');
    expect(cut.stdout).toBe(whole.stdout);
  });
});
