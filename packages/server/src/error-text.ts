/** How many wrapped errors the log follows (a cause chain could loop). */
const MAX_CAUSES = 5;

/**
 * An error for the server log: its stack (or message), then each error it wraps (`cause`) as
 * `caused by: <stack>`, so a stable-coded error shows the engine's own words to the operator.
 */
export function errorText(error: unknown): string {
  const lines = [describe(error)];
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    lines.push(`caused by: ${describe(cause)}`);
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  return lines.join('\n');
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** An error's message and those of the errors it wraps, on one line: `checkpoint failed: <engine's words>`. */
export function messageChain(error: unknown): string {
  const parts = [messageOf(error)];
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    parts.push(messageOf(cause));
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  return parts.join(': ');
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
