'use strict';
// dist/hook.cjs: what an assistant runs for every hook event (`node …/dist/hook.cjs claude-code`). A hook
// is a fresh Node process per event, so start-up is most of its cost (bench:hook). This file is plain
// CommonJS (Node's ESM loader costs ~5 ms to boot) and runs the bundled hook (dist/hook-body.cjs) through
// V8's code cache (dist/hook-body.cjs.cache), so the bundle is not compiled again on every event. Any
// failure here falls back to a plain require: the hook must run whatever happens.
//
// V8 caches only the functions that had been compiled when the cache was made, and a hook event runs
// little of the bundle: a cache made by a SessionStart alone leaves a Stop compiling its transcript and
// span code on every run. So the cache file says which code paths it has seen (the body names the ones a
// run takes: event, transcript chat spans, sent or spooled…, see hook-runtime.ts), and a run that takes a
// path the cache has not seen rewrites it at exit. The new cache keeps what the old one held (V8 writes
// every function the script has, deserialised or compiled), so after a few runs it covers every path.
// A cache V8 rejects (another Node, or a rebuilt bundle) is rewritten the same way.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const body = path.join(__dirname, 'hook-body.cjs');
const cacheFile = `${body}.cache`;
/** A cache file: this line, the seen code paths as a JSON array and a newline, then V8's data. */
const MAGIC = 'loopline-hook-cache 1\n';
/** Where the body lists the code paths this run took. */
const CODE_PATHS = Symbol.for('loopline.hook.codePaths');
/** Paths a cache remembers at most (event names come from the assistant: never rewrite without end). */
const MAX_PATHS = 100;

/** The cache's code paths and V8 data; undefined when there is none (or not in this format). */
function readCache() {
  let bytes;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const eol = bytes.indexOf(10, MAGIC.length);
  if (eol < 0) return undefined;
  try {
    const seen = JSON.parse(bytes.toString('utf8', MAGIC.length, eol));
    return Array.isArray(seen) ? { seen, data: bytes.subarray(eol + 1) } : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle compiled with the code cache, as a CommonJS module function; null when that fails. */
function compileCached() {
  const source = fs.readFileSync(body, 'utf8');
  const cache = readCache();
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: body,
    cachedData: cache?.data,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const valid = cache !== undefined && !script.cachedDataRejected;
  const seen = valid ? cache.seen : [];
  const taken = new Set();
  globalThis[CODE_PATHS] = taken;
  // written at exit, so the functions this run compiled are in the cache too
  process.once('exit', () => {
    const known = new Set(seen);
    const fresh = [...taken].filter((name) => !known.has(name));
    if (valid && (fresh.length === 0 || seen.length >= MAX_PATHS)) return;
    try {
      const header = Buffer.from(`${MAGIC}${JSON.stringify([...seen, ...fresh].sort())}\n`, 'utf8');
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, Buffer.concat([header, script.createCachedData()]));
      fs.renameSync(temp, cacheFile);
    } catch {
      // a read-only install: run without a cache
    }
  });
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
