import { runCli } from './main.ts';

await runCli(process.argv, new URL('./storage-worker.mjs', import.meta.url));
