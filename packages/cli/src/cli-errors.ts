import { AppError, isAppError } from '@loopline/model';

/** Known errors print as one line (exit 1); anything else prints its message and a hint (exit 1). */
export function reportError(
  error: unknown,
  write: (line: string) => void = (line) => process.stderr.write(line),
): void {
  if (isAppError(error)) {
    write(`loopline: ${error.code}: ${error.message}\n`);
  } else {
    write(
      `loopline: unexpected error: ${(error as Error)?.message ?? String(error)} (run with DEBUG=loopline for details)\n`,
    );
    if (process.env.DEBUG?.includes('loopline')) write(`${(error as Error)?.stack ?? ''}\n`);
  }
  process.exitCode = 1;
}

export function usageError(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}
