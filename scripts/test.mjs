// `npm test`: install if needed (npm packages, and Debian's Chromium for the browser tests), build the CLI
// bundle and the web UI (end-to-end tests run them), then every test.
// Ends with a plain "N passed, N failed" line read from Vitest's JSON report.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure.mjs';
import { ensureChromium } from './ensure-chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureInstalled();
ensureChromium();
const { build } = await import('./build.mjs');
await build();
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const report = path.join(root, 'test-output', 'vitest.json');
fs.rmSync(report, { force: true });
const result = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
if (fs.existsSync(report)) {
  const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  process.stdout.write(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
}
process.exit(result.status ?? 1);
