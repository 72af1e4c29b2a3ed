#!/usr/bin/env node
// The plugin's hook command: finds Loopline's hook bundle and runs it with the same arguments. It looks
// in $LOOPLINE_HOOK_BUNDLE, next to this plugin in the Loopline package (../../dist/hook.mjs), then beside
// the `loopline` command on PATH. When there is none it exits 0 without a word: a missing Loopline must
// never get in Claude Code's way.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function candidates() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const found = [];
  if (process.env.LOOPLINE_HOOK_BUNDLE) found.push(process.env.LOOPLINE_HOOK_BUNDLE);
  found.push(path.resolve(here, '../../dist/hook.mjs'));
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      const bin = fs.realpathSync(path.join(dir, 'loopline'));
      found.push(path.resolve(path.dirname(bin), '../dist/hook.mjs'));
    } catch {
      // not in this folder
    }
  }
  return found;
}

const bundle = candidates().find((file) => fs.existsSync(file));
if (bundle) await import(pathToFileURL(bundle).href);
