import type { Command } from 'commander';
import { runHook, SUPPORTED_ASSISTANTS } from './hook-runtime.ts';

export function hookCommand(program: Command): void {
  program
    .command('hook')
    .description(
      'record one AI assistant hook event (the event JSON on stdin); run by the assistant, set up by "loopline install"',
    )
    .argument('<assistant>', `the assistant whose hook this is: ${SUPPORTED_ASSISTANTS.join(', ')}`)
    .option(
      '--endpoint <url>',
      'the Loopline server (default: LOOPLINE_ENDPOINT, the config file, http://127.0.0.1:4318)',
    )
    .addHelpText(
      'after',
      `
It prints nothing but a policy rule's PreToolUse decision (.loopline/policy.yaml, see "loopline policy")
and always exits 0, so it never gets in the assistant's way: problems are logged to
$LOOPLINE_HOME/<assistant>/hook.log, and spans Loopline could not take are spooled to $LOOPLINE_HOME/spool
(resent by later hooks and by "loopline flush"). Prompts and responses are recorded only with
LOOPLINE_CAPTURE_CONTENT=1. The assistant runs the faster bundle, node <cli>/dist/hook.mjs <assistant>.
Codex CLI's hooks use Claude Code's format; Gemini CLI's events (BeforeTool, AfterAgent, …) are mapped
onto the same spans. Each assistant's spans land in its own dataset: claude-code, codex-cli, gemini-cli.`,
    )
    .action(async (assistant: string, flags: { endpoint?: string }) => {
      process.exitCode = await runHook({ assistant, endpoint: flags.endpoint });
    });
}
