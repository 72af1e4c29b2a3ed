import { AppError } from '@loopline/model';
import type { Command } from 'commander';
import { looplinePaths, readConfig, resolveTarget } from './hook-home.ts';
import { drainSpool, releaseStaleClaims, spoolFiles } from './hook-spool.ts';

interface FlushFlags {
  endpoint?: string;
  timeout: string;
}

export function flushCommand(program: Command): void {
  program
    .command('flush')
    .description('send the spans hooks spooled while Loopline was unreachable ($LOOPLINE_HOME/spool) now')
    .option(
      '--endpoint <url>',
      'the Loopline server (default: LOOPLINE_ENDPOINT, the config file, http://127.0.0.1:4318)',
    )
    .option('--timeout <ms>', 'how long to wait for each answer', '10000')
    .action(async (flags: FlushFlags) => {
      const paths = looplinePaths();
      const target = resolveTarget(flags, process.env, readConfig(paths));
      const out = (line: string): void => void process.stdout.write(`${line}\n`);
      // a claim of a sender that died is released now; one of a sender still at work stays its own
      releaseStaleClaims(paths.spool);
      const total = spoolFiles(paths.spool).length;
      if (total === 0) {
        out(`flush: nothing to send (the spool ${paths.spool} is empty)`);
        return;
      }
      let done = 0;
      const result = await drainSpool(paths.spool, {
        target,
        timeoutMs: Number(flags.timeout),
        max: Number.POSITIVE_INFINITY,
        onFile: ({ file, result: posted, spans }) => {
          done++;
          const state = posted.ok
            ? `${spans} span(s) sent`
            : `not sent (${posted.status ?? 'no answer'}: ${posted.detail})`;
          out(`flush: [${done}/${total}] ${file}: ${state}`);
        },
      });
      const rejected =
        result.rejected > 0
          ? `; ${result.rejected} refused by the server, kept in ${paths.spool}/rejected`
          : '';
      out(
        `flush: sent ${result.sent} file(s), ${result.spans} span(s) to ${target.endpoint}${rejected}; ${result.left} left in the spool`,
      );
      if (result.stopped !== null) {
        throw new AppError(
          'SERVER_UNREACHABLE',
          `Loopline at ${target.endpoint} did not take the spool (${result.stopped.status ?? 'no answer'}: ${result.stopped.detail}); start it with "loopline serve" or pass --endpoint, then run "loopline flush" again (${result.left} file(s) wait in ${paths.spool})`,
        );
      }
    });
}
