// dist/hook-body.cjs, run by dist/hook.cjs (hook-loader.cjs) for every hook event an assistant sends
// (`node …/dist/hook.cjs claude-code`). It loads only the hook's code (no commander, server or DuckDB) so
// each event costs little more than starting Node. Bundled as CommonJS: no top-level await.
import { runHook } from './commands/hook-runtime.ts';

const HELP = `usage: node hook.cjs <assistant> [--endpoint URL]

Records one hook event (JSON on stdin) of an AI assistant (claude-code, codex, gemini) for Loopline.
Prints nothing but a policy rule's PreToolUse decision, and exits 0 whatever happens; problems go to
$LOOPLINE_HOME/<assistant>/hook.log. Set it up with "loopline install <assistant>".
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP);
} else {
  // Whatever happens, the assistant gets its terminal back within a few seconds.
  setTimeout(() => process.exit(0), 5000).unref();
  const at = args.indexOf('--endpoint');
  const endpoint = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--endpoint='))?.slice(11);
  void runHook({ assistant: args.find((a) => !a.startsWith('-') && a !== endpoint) ?? '', endpoint }).finally(
    () => {
      process.exitCode = 0;
    },
  );
}
