/**
 * The times Loopline stores: from 2000-01-01 to a day past the receiving server's clock. An earlier time
 * is a unit mistake (seconds, milliseconds or microseconds sent as nanoseconds lands in January 1970); a
 * later one is a broken clock, and from the year 3000 on no query could reach it. An item with a time
 * outside is rejected (OTLP partial success); a time of 0 means "not set" and is not checked here.
 */
export const EARLIEST_TIME_US = Date.UTC(2000, 0, 1) * 1000;
/** How far ahead of the server's clock a time may be (senders' clocks drift; batches wait in spools). */
export const MAX_AHEAD_US = 86_400_000_000;

/** What is wrong with a time (µs) that is set, or null when it lies inside the window. */
export function timeProblem(us: number, nowUs: number): string | null {
  if (us < EARLIEST_TIME_US) {
    return 'is before 2000-01-01 (seconds, milliseconds or microseconds sent as nanoseconds?)';
  }
  return aheadProblem(us, nowUs);
}

/** The window's upper side only (a span's end: one before its start is kept with duration 0). */
export function aheadProblem(us: number, nowUs: number): string | null {
  return us > nowUs + MAX_AHEAD_US ? "is more than a day ahead of the server's clock" : null;
}

/** A time for a message: ISO 8601 when a Date can hold it, else the microseconds. */
export function timeText(us: number): string {
  const date = new Date(Math.floor(us / 1000));
  return Number.isNaN(date.getTime()) ? `${us} µs since 1970` : date.toISOString();
}

/** Why an item is rejected: the fixed text of the problem, and the item's example for the message. */
export interface Rejection {
  problem: string;
  example: string;
}

/** A rejection (`what` + the problem) when a time that is set (not 0) fails `check`. */
export function timeRejection(
  what: string,
  us: number,
  nowUs: () => number,
  check: (us: number, nowUs: number) => string | null = timeProblem,
): Rejection | null {
  const problem = us > 0 ? check(us, nowUs()) : null;
  return problem === null ? null : { problem: `${what} ${problem}`, example: timeText(us) };
}
