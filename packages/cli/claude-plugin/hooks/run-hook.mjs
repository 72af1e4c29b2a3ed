#!/usr/bin/env node
// The plugin's hook command: finds Loopline's hook bundle and runs it with the same arguments. It looks
// in $LOOPLINE_HOOK_BUNDLE, next to this plugin in the Loopline package (../../dist/hook.cjs), then beside
// the `loopline` command on PATH. When there is none it exits 0 without a word: a missing Loopline must
// never get in Claude Code's way.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function candidates() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const found = [];
  if (process.env.LOOPLINE_HOOK_BUNDLE) found.push(process.env.LOOPLINE_HOOK_BUNDLE);
  found.push(path.resolve(here, '../../dist/hook.cjs'), path.resolve(here, '../../dist/hook.mjs'));
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      const bin = fs.realpathSync(path.join(dir, 'loopline'));
      const dist = path.resolve(path.dirname(bin), '../dist');
      found.push(path.join(dist, 'hook.cjs'), path.join(dist, 'hook.mjs'));
    } catch {
      // not in this folder
    }
  }
  return found;
}

const bundle = candidates().find((file) => fs.existsSync(file));
if (bundle?.endsWith('.cjs')) createRequire(import.meta.url)(bundle);
else if (bundle) await import(pathToFileURL(bundle).href);
