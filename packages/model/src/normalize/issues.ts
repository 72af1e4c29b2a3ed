/**
 * Collects problems found in a batch: one short message per distinct problem (with its count and a
 * first example), at most MAX_MESSAGES of them.
 */
const MAX_MESSAGES = 10;
const MAX_EXAMPLE = 48;

interface Problem {
  count: number;
  example: string;
}

export class IssueCollector {
  private readonly problems = new Map<string, Problem>();

  /** `problem` is the fixed text ("span rejected: trace id is not 32 hex characters"). */
  add(problem: string, example: string): void {
    const known = this.problems.get(problem);
    if (known !== undefined) {
      known.count++;
      return;
    }
    const short = example.length > MAX_EXAMPLE ? `${example.slice(0, MAX_EXAMPLE)}…` : example;
    this.problems.set(problem, { count: 1, example: short });
  }

  messages(): string[] {
    const messages: string[] = [];
    for (const [problem, { count, example }] of this.problems) {
      if (messages.length === MAX_MESSAGES - 1 && this.problems.size > MAX_MESSAGES) {
        messages.push(`… and ${this.problems.size - messages.length} more kinds of problem`);
        break;
      }
      messages.push(`${count} × ${problem} (first: ${JSON.stringify(example)})`);
    }
    return messages;
  }
}

/** Result of checkHexId: valid lowercase, valid with upper-case letters, malformed, or all zeros. */
export const ID_OK = 0;
export const ID_UPPER = 1;
export const ID_MALFORMED = 2;
export const ID_ZERO = 3;

export function checkHexId(id: string, length: number): number {
  if (id.length !== length) return ID_MALFORMED;
  let zero = true;
  let upper = false;
  for (let i = 0; i < length; i++) {
    const code = id.charCodeAt(i);
    if (code >= 65 && code <= 70) upper = true;
    else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return ID_MALFORMED;
    if (code !== 48) zero = false;
  }
  if (zero) return ID_ZERO;
  return upper ? ID_UPPER : ID_OK;
}

/** The id in lowercase when checkHexId found it valid, else null. */
export function validHexId(id: string, length: number): string | null {
  const check = checkHexId(id, length);
  if (check === ID_OK) return id;
  return check === ID_UPPER ? id.toLowerCase() : null;
}
