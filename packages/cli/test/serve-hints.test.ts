import { afterAll, describe, expect, it } from 'vitest';
import { exited, runCli, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

let serve: ServeProcess | undefined;
afterAll(async () => {
  serve?.child.kill('SIGKILL');
  if (serve) await exited(serve.child);
});

async function readyLine(server: ServeProcess): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const line = /^ready: .*$/m.exec(server.output())?.[0];
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no ready line:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('loopline serve --demo on a port of its own', () => {
  it('prints a ready hint whose command works as printed', async () => {
    serve = await spawnServe(['--data-dir', tempDir('serve-hints'), '--demo', '--demo-spans', '300']);
    const line = await readyLine(serve);
    expect(line).toContain(`open ${serve.url} in a browser`);
    const command = /run "npx loopline (.*)"$/.exec(line)?.[1];
    expect(command).toContain(`--url ${serve.url} `);
    const run = await runCli(command?.split(' ') ?? []);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/gen_ai\.request\.model/);
  });
});
