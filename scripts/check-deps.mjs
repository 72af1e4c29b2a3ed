// Checks the dependency direction written in docs/ARCHITECTURE.md (the ```deps block) against every
// package's imports and package.json: a package may import only the workspace packages listed for it,
// pure packages may not import Node built-ins, nobody imports another package's src/, and every import
// of an npm package is declared in that package's package.json.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = fs.readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8');
const block = /```deps\n([\s\S]*?)```/.exec(doc)?.[1];
if (!block) fail(['docs/ARCHITECTURE.md has no ```deps block']);

const rules = new Map();
const pure = new Set();
for (const line of block.split('\n')) {
  const match = /^(\S+?)(\*)?:\s*(.*)$/.exec(line.trim());
  if (!match) continue;
  rules.set(match[1], new Set(match[3].split(/[\s,]+/).filter(Boolean)));
  if (match[2]) pure.add(match[1]);
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const problems = [];
const packagesDir = path.join(root, 'packages');
for (const name of fs.readdirSync(packagesDir)) {
  const dir = path.join(packagesDir, name);
  if (!fs.existsSync(path.join(dir, 'package.json'))) continue;
  if (!rules.has(name)) {
    problems.push(`packages/${name} is not in the deps block of docs/ARCHITECTURE.md`);
    continue;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  for (const file of sourceFiles(path.join(dir, 'src'))) checkFile(name, file, declared);
}
if (problems.length) fail(problems);
process.stdout.write(`check-deps: ${rules.size} packages follow docs/ARCHITECTURE.md\n`);

function checkFile(pkg, file, declared) {
  const text = fs.readFileSync(file, 'utf8');
  const rel = path.relative(root, file);
  const isTest = /\.test\.ts$/.test(file);
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
    const spec = match[1];
    if (spec.startsWith('.')) continue;
    if (builtins.has(spec) || builtins.has(spec.split('/')[0])) {
      if (pure.has(pkg) && !isTest) problems.push(`${rel}: ${pkg} is pure and may not import ${spec}`);
      continue;
    }
    const parts = spec.split('/');
    const base = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    if (base.startsWith('@loopline/')) {
      const target = base.slice('@loopline/'.length);
      if (parts.includes('src')) problems.push(`${rel}: imports another package's src/ (${spec})`);
      if (!rules.get(pkg).has(target) && target !== pkg) {
        problems.push(`${rel}: ${pkg} may not depend on @loopline/${target} (see docs/ARCHITECTURE.md)`);
      }
    }
    if (!isTest && !declared.has(base))
      problems.push(`${rel}: imports ${base}, not declared in its package.json`);
  }
}

function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [full] : [];
  });
}

function fail(lines) {
  process.stderr.write(`check-deps: ${lines.length} problem(s)\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  process.exit(1);
}
