// Bundles the CLI and the storage thread into packages/cli/dist with esbuild (workspace packages are
// inlined from their TypeScript sources; npm dependencies stay external), and builds the web UI with Vite
// into packages/cli/dist/web.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CLI_ENTRIES = {
  loopline: 'packages/cli/src/entry.ts',
  'storage-worker': 'packages/server/src/storage/worker/storage-worker.ts',
};
/** The hook: a CommonJS bundle run through V8's code cache by a small loader (see hook-loader.cjs). */
const HOOK_ENTRY = 'packages/cli/src/hook-entry.ts';
const HOOK_STATIC = { 'hook-loader.cjs': 'hook.cjs', 'hook-compat.mjs': 'hook.mjs' };
const BENCH_ENTRIES = {
  'ingest-bench': 'bench/ingest-bench.ts',
  'query-bench': 'bench/query-bench.ts',
  'hook-bench': 'bench/hook-bench.ts',
  'ui-bench': 'bench/ui-bench.ts',
  'isolation-bench': 'bench/isolation-bench.ts',
};

/** Builds the CLI into packages/cli/dist; with `bench`, also the benchmark scripts into bench/dist. */
export async function build({ bench = false } = {}) {
  const started = Date.now();
  await bundle(CLI_ENTRIES, 'packages/cli/dist');
  await bundleHook('packages/cli/dist');
  await buildWeb();
  if (bench) await bundle(BENCH_ENTRIES, 'bench/dist');
  process.stdout.write(
    `loopline: built ${bench ? 'the CLI, the web UI and benchmarks' : 'the CLI and the web UI'} in ${Date.now() - started} ms\n`,
  );
}

/**
 * The web UI: Vite builds packages/web into a fresh folder that then replaces packages/cli/dist/web (where
 * `serve` finds it) by rename, so a server starting during a rebuild never sees half a UI.
 */
async function buildWeb() {
  const { build: viteBuild } = await import('vite');
  const webRoot = path.join(root, 'packages/web');
  const target = path.join(root, 'packages/cli/dist/web');
  const fresh = `${target}.new-${process.pid}`;
  await viteBuild({
    root: webRoot,
    configFile: path.join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: fresh, emptyOutDir: true },
  });
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(fresh, target);
  fs.rmSync(old, { recursive: true, force: true });
}

const externalizeNpmPackages = {
  name: 'externalize-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@loopline/') ? undefined : { path: args.path, external: true },
    );
  },
};

async function bundle(entryPoints, outdir) {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    absWorkingDir: root,
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    conditions: ['source'],
    logLevel: 'warning',
    plugins: [externalizeNpmPackages],
  });
}

/**
 * dist/hook-body.cjs (CommonJS: `import.meta.url` from `__filename`, dynamic imports as requires) beside
 * the loader dist/hook.cjs and the old entry dist/hook.mjs; the stale code cache goes.
 */
async function bundleHook(outdir) {
  const { build: esbuild } = await import('esbuild');
  const out = path.join(root, outdir);
  await esbuild({
    absWorkingDir: root,
    entryPoints: [HOOK_ENTRY],
    outfile: path.join(out, 'hook-body.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    conditions: ['source'],
    logLevel: 'warning',
    define: { 'import.meta.url': '__hookBundleUrl' },
    banner: { js: 'var __hookBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    supported: { 'dynamic-import': false },
    plugins: [externalizeNpmPackages],
  });
  for (const [from, to] of Object.entries(HOOK_STATIC)) {
    fs.copyFileSync(path.join(root, 'packages/cli/src', from), path.join(out, to));
  }
  fs.rmSync(path.join(out, 'hook-body.cjs.cache'), { force: true });
  fs.rmSync(path.join(out, 'hook.mjs.map'), { force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ensureInstalled } = await import('./ensure.mjs');
  ensureInstalled();
  await build({ bench: process.argv.includes('--bench') });
}
