import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli-process.ts';

/**
 * The `loopline` CLI bundled from source the way `npm run build` bundles it, for a test that runs several
 * CLI processes of the code under test without a build. Written under node_modules/.cache so its npm
 * imports resolve from the workspace; `remove()` deletes it.
 */
export async function bundleCliFromSource(): Promise<{ bin: string; remove: () => void }> {
  const { build } = await import('esbuild');
  const cache = path.join(ROOT, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(cache, 'loopline-cli-'));
  const bin = path.join(outdir, 'loopline.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['packages/cli/src/entry.ts'],
    outfile: bin,
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
  return { bin, remove: () => fs.rmSync(outdir, { recursive: true, force: true }) };
}
