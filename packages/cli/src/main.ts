import { Command, CommanderError } from 'commander';
import { reportError } from './cli-errors.ts';
import { demoCommand } from './commands/demo-command.ts';
import { queryCommand } from './commands/query-command.ts';
import { sendCommand } from './commands/send-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { VERSION } from './version.ts';

/** Builds the `loopline` program. `workerUrl` is the storage thread's script next to the bundle. */
export function buildProgram(workerUrl: URL): Command {
  const program = new Command('loopline')
    .description('Loopline: OpenTelemetry-native observability for every AI on your delivery line')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  serveCommand(program, workerUrl);
  queryCommand(program);
  sendCommand(program);
  demoCommand(program);
  return program;
}

export async function runCli(argv: string[], workerUrl: URL): Promise<void> {
  const program = buildProgram(workerUrl);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(error);
  }
}
