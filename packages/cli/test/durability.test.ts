import { afterEach, describe, expect, it } from 'vitest';
import { exited, runCli, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

const running: ServeProcess[] = [];
afterEach(async () => {
  for (const serve of running.splice(0)) {
    serve.child.kill('SIGKILL');
    await exited(serve.child);
  }
});

function spansBody(dataset: string, n: number, offset = 0): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return {
      traceId: (i + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat gpt-5',
      startTimeUnixNano: String(now - 5_000_000n),
      endTimeUnixNano: String(now),
      attributes: [{ key: 'gen_ai.usage.input_tokens', value: { intValue: '7' } }],
    };
  });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: dataset } }] },
        scopeSpans: [{ spans }],
      },
    ],
  });
}

async function post(url: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

async function countOf(url: string, dataset: string): Promise<number> {
  const response = await fetch(`${url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dataset, calculations: [{ op: 'COUNT' }] }),
  });
  const result = (await response.json()) as { totals: Record<string, number> };
  return Object.values(result.totals)[0] ?? 0;
}

describe('loopline serve as a process', () => {
  it('keeps every acknowledged span through kill -9 and a restart', async () => {
    const dataDir = tempDir('kill9');
    const first = await spawnServe(['--data-dir', dataDir]);
    running.push(first);
    let acknowledged = 0;
    for (let batch = 0; batch < 20; batch++) {
      const response = await post(first.url, spansBody('durable', 500, batch * 500));
      if (response.status === 200) acknowledged += 500;
    }
    expect(acknowledged).toBe(10_000);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = await spawnServe(['--data-dir', dataDir]);
    running.push(second);
    expect(await countOf(second.url, 'durable')).toBe(acknowledged);
  });

  it('answers 503 with Retry-After when the write path is saturated, and loses nothing it acknowledged', async () => {
    const serve = await spawnServe(['--data-dir', tempDir('saturate'), '--max-pending-rows', '1000']);
    running.push(serve);
    const bodies = Array.from({ length: 40 }, (_, i) => spansBody('saturated', 2000, i * 2000));
    const responses = await Promise.all(bodies.map((body) => post(serve.url, body)));
    const ok = responses.filter((r) => r.status === 200).length;
    const refused = responses.filter((r) => r.status === 503);
    expect(ok).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    expect(ok + refused.length).toBe(40);
    expect(await countOf(serve.url, 'saturated')).toBe(ok * 2000);
    const health = await fetch(`${serve.url}/api/health`);
    expect(health.status).toBe(200);
  });

  it('prints one clear line and exits 1 when the server is not there', async () => {
    const result = await runCli(['query', '--url', 'http://127.0.0.1:9', '--calc', 'COUNT']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/SERVER_UNREACHABLE: cannot reach Loopline at http:\/\/127\.0\.0\.1:9/);
  });

  it('has --help on every command', async () => {
    for (const command of ['serve', 'query', 'send', 'demo']) {
      const result = await runCli([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain(`Usage: loopline ${command}`);
    }
  });

  it('says a command is unknown even when --help follows it, and exits 2', async () => {
    const result = await runCli(['serv', '--help']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'serv'");
    expect(result.stderr).toContain('Did you mean serve?');
    expect(result.stdout).not.toContain('Usage: loopline');
  });
});
