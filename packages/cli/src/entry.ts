import { runCli } from './main.ts';

// The storage thread's script and the built web UI sit next to this bundle in packages/cli/dist.
await runCli(process.argv, {
  storageWorker: new URL('./storage-worker.mjs', import.meta.url),
  webRoot: new URL('./web/', import.meta.url),
});
