import type { Prng } from './prng.ts';
import { BRANCH_TOPICS } from './team.ts';

const BRANCH_PREFIXES: readonly string[] = ['feat', 'feat', 'fix', 'fix', 'chore', 'refactor'];

/** A ticket key such as `ENG-4821`. */
export function ticketId(rng: Prng): string {
  return `ENG-${rng.intBetween(3000, 6999)}`;
}

/** A pull-request number, as `vcs.change.id` carries it. */
export function prNumber(rng: Prng): string {
  return String(rng.intBetween(8000, 9999));
}

/** A working branch (`feat/ENG-4821-checkout-retry`), or main now and then. */
export function pickBranch(rng: Prng): string {
  if (rng.chance(0.15)) return 'main';
  return `${rng.pick(BRANCH_PREFIXES)}/${ticketId(rng)}-${rng.pick(BRANCH_TOPICS)}`;
}
