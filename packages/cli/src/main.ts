import { Command, CommanderError } from 'commander';
import { reportError } from './cli-errors.ts';
import { demoCommand } from './commands/demo-command.ts';
import { flushCommand } from './commands/flush-command.ts';
import { hookCommand } from './commands/hook-command.ts';
import { importCommand } from './commands/import-command.ts';
import { installCommand } from './commands/install-command.ts';
import { policyCommand } from './commands/policy-command.ts';
import { queryCommand } from './commands/query-command.ts';
import { sendCommand } from './commands/send-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { VERSION } from './version.ts';

/** Files the bundle ships beside itself: the storage thread's script and the built web UI. */
export interface BundleFiles {
  storageWorker: URL;
  webRoot: URL;
}

/** Builds the `loopline` program. */
export function buildProgram(files: BundleFiles): Command {
  const program = new Command('loopline')
    .description('Loopline: OpenTelemetry-native observability for every AI on your delivery line')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  serveCommand(program, files);
  queryCommand(program);
  sendCommand(program);
  demoCommand(program);
  installCommand(program);
  hookCommand(program);
  flushCommand(program);
  importCommand(program);
  policyCommand(program);
  return program;
}

export async function runCli(argv: string[], files: BundleFiles): Promise<void> {
  const program = buildProgram(files);
  try {
    await program.parseAsync(withoutHelpForUnknownCommand(program, argv));
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(error);
  }
}

/**
 * Commander answers `loopline <unknown> --help` with the top-level help and exit 0; without the help flag
 * it reports the unknown command (with a "did you mean") and the usage exit code, which is what we want.
 */
function withoutHelpForUnknownCommand(program: Command, argv: string[]): string[] {
  const name = argv[2];
  if (name === undefined || name.startsWith('-') || name === 'help') return argv;
  const known = program.commands.some(
    (command) => command.name() === name || command.aliases().includes(name),
  );
  return known ? argv : argv.filter((arg) => arg !== '--help' && arg !== '-h');
}
