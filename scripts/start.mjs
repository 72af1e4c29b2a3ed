// `npm start`: install if needed, build, then run `loopline serve --demo` (the demo loads only into an
// empty store). Extra arguments pass through: `npm start -- --port 4400`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureInstalled();
const { build } = await import('./build.mjs');
await build();
const child = spawn(
  process.execPath,
  [path.join(root, 'packages/cli/bin/loopline.mjs'), 'serve', '--demo', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
