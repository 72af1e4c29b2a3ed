// The browser tests and `npm run bench:ui` drive Debian's Chromium (never a downloaded browser).
// Installs it with apt when it is missing and we may; otherwise says what to do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = process.env.LOOPLINE_CHROMIUM ?? '/usr/bin/chromium';

export function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    process.stderr.write(
      `loopline: the browser tests need Chromium at ${CHROMIUM}. Install Debian's package ` +
        '(sudo apt-get install -y chromium) or point LOOPLINE_CHROMIUM at a Chromium binary.\n',
    );
    process.exit(1);
  }
  process.stdout.write('loopline: installing Debian chromium for the browser tests (apt-get)…\n');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      process.stderr.write(
        `loopline: apt-get ${args.join(' ')} failed; install chromium by hand and retry\n`,
      );
      process.exit(result.status ?? 1);
    }
  }
  return CHROMIUM;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
