// Bundles the CLI and the storage thread into packages/cli/dist with esbuild (workspace packages are
// inlined from their TypeScript sources; npm dependencies stay external), and builds the web UI with Vite
// into packages/cli/dist/web.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CLI_ENTRIES = {
  loopline: 'packages/cli/src/entry.ts',
  hook: 'packages/cli/src/hook-entry.ts',
  'storage-worker': 'packages/server/src/storage/worker/storage-worker.ts',
};
const BENCH_ENTRIES = {
  'ingest-bench': 'bench/ingest-bench.ts',
  'query-bench': 'bench/query-bench.ts',
  'hook-bench': 'bench/hook-bench.ts',
  'ui-bench': 'bench/ui-bench.ts',
};

/** Builds the CLI into packages/cli/dist; with `bench`, also the benchmark scripts into bench/dist. */
export async function build({ bench = false } = {}) {
  const started = Date.now();
  await bundle(CLI_ENTRIES, 'packages/cli/dist');
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
    plugins: [
      {
        name: 'externalize-npm-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@loopline/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ensureInstalled } = await import('./ensure.mjs');
  ensureInstalled();
  await build({ bench: process.argv.includes('--bench') });
}
