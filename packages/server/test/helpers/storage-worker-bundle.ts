import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The storage thread's script, bundled from source the way `npm run build` bundles it for the CLI, so a
 * test server can run storage in a worker thread. Written under node_modules/.cache so its npm imports
 * (DuckDB) resolve from the workspace.
 */
export async function bundleStorageWorker(): Promise<URL> {
  const { build } = await import('esbuild');
  const cache = path.join(ROOT, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(cache, 'loopline-storage-worker-'));
  const outfile = path.join(outdir, 'storage-worker.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['packages/server/src/storage/worker/storage-worker.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
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
  return pathToFileURL(outfile);
}

export function removeBundle(url: URL): void {
  fs.rmSync(path.dirname(fileURLToPath(url)), { recursive: true, force: true });
}
