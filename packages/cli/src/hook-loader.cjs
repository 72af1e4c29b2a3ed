'use strict';
// dist/hook.cjs: what an assistant runs for every hook event (`node …/dist/hook.cjs claude-code`). A hook
// is a fresh Node process per event, so start-up is most of its cost (bench:hook). This file is plain
// CommonJS (Node's ESM loader costs ~5 ms to boot) and runs the bundled hook (dist/hook-body.cjs) through
// V8's code cache (dist/hook-body.cjs.cache, written after the first run and rewritten whenever V8 rejects
// it, e.g. after a Node upgrade), so the bundle is not compiled again on every event. Any failure here
// falls back to a plain require: the hook must run whatever happens.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const body = path.join(__dirname, 'hook-body.cjs');
const cacheFile = `${body}.cache`;

/** The bundle compiled with the code cache, as a CommonJS module function; null when that fails. */
function compileCached() {
  const source = fs.readFileSync(body, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: body,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // written at exit, so the functions this run compiled are in the cache too
    process.once('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cacheFile);
      } catch {
        // a read-only install: run without a cache
      }
    });
  }
  return script.runInThisContext();
}

let compiled = null;
try {
  compiled = compileCached();
} catch {
  // run it the plain way below
}
if (compiled === null) require(body);
else {
  const module = { exports: {} };
  compiled(module.exports, require, module, body, __dirname);
}
