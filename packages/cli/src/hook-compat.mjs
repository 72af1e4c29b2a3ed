// dist/hook.mjs: the hook command installs written before dist/hook.cjs existed still run
// (`node …/dist/hook.mjs claude-code`). New installs run dist/hook.cjs directly, which starts faster.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./hook.cjs');
