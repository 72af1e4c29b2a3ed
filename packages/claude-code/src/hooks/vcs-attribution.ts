/**
 * Commits and pull requests a tool call produced, attributed to that call and rolled up on its turn. A
 * shell command that mentions git (or `gh`) gets the repository's HEAD read before it runs (PreToolUse)
 * and after (PostToolUse); the commits between are the call's. A PR URL in the output of `gh pr create`
 * (or `glab mr create`) is the call's change. Git is run only for such commands, so other tool calls pay
 * nothing (bench:hook).
 */
import { LOOPLINE_VCS_ATTRIBUTES, VCS_ATTRIBUTES } from '@loopline/conventions';
import type { SpanAttributes } from '../span-record.ts';

/** HEAD of a work tree: the revision and the branch (absent when detached). */
export interface VcsHead {
  revision: string;
  branch?: string;
}

/** The git reads the hook needs; the CLI supplies them. */
export interface VcsReader {
  head(cwd: string): VcsHead | null;
  /** commits reachable from `to` but not from `from`, newest first, at most `max` */
  commitsBetween(cwd: string, from: string, to: string, max: number): string[];
}

/** At most this many commits are listed on one span (a rebase can rewrite hundreds). */
export const MAX_ATTRIBUTED_COMMITS = 20;

const SHELL_TOOLS = new Set(['Bash', 'PowerShell', 'Shell', 'run_shell_command', 'shell', 'exec_command']);
/** `git …` or `gh …`/`glab …` as a command word (after a separator, `env`, `sudo`, a path), not in a word. */
const VCS_COMMAND = /(?:^|[\s;&|(`$]|\/)(?:git|gh|glab)(?:\s|$)/;
const PUSH = /(?:^|[\s;&|(])git(?:\s+-[Cc]\s+\S+)*\s+push\b([^;&|]*)/;
const CHANGE_URL = /https?:\/\/[^\s"'<>]+\/(?:pull|merge_requests)\/\d+/g;

/** The shell command of a tool call, when the tool runs one. */
export function shellCommand(toolName: string, toolInput: unknown): string | undefined {
  if (!SHELL_TOOLS.has(toolName) || typeof toolInput !== 'object' || toolInput === null) return undefined;
  const command = (toolInput as { command?: unknown }).command;
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) return command.join(' ');
  return undefined;
}

/** Whether a command may change or publish the repository's history (so HEAD is worth reading). */
export function mayTouchVcs(command: string): boolean {
  return VCS_COMMAND.test(command);
}

/** The ref a `git push` names (`git push origin feature` → `feature`), or `HEAD` when it names none. */
export function pushedRef(command: string): string | undefined {
  const match = PUSH.exec(command);
  if (match === null) return undefined;
  const words = (match[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '' && !word.startsWith('-'));
  const ref = words[1];
  return ref === undefined ? 'HEAD' : (ref.split(':').pop() ?? ref);
}

/** Pull / merge request URLs printed in a tool's response (stdout of `gh pr create`, …), each once. */
export function changeUrls(response: unknown): string[] {
  const text =
    typeof response === 'string'
      ? response
      : typeof response === 'object' && response !== null
        ? JSON.stringify(response)
        : '';
  return [...new Set(text.match(CHANGE_URL) ?? [])];
}

/** `https://github.com/acme/shop/pull/42` → `42`. */
export function changeNumber(url: string): string | undefined {
  return /\/(?:pull|merge_requests)\/(\d+)$/.exec(url)?.[1];
}

/**
 * The tool span's VCS attributes from HEAD before and after the call and its response. Empty when the
 * call changed nothing.
 */
export function toolVcsAttributes(
  reader: VcsReader | undefined,
  cwd: string | undefined,
  before: VcsHead | undefined,
  command: string,
  response: unknown,
): SpanAttributes {
  const out: SpanAttributes = {};
  if (reader !== undefined && cwd !== undefined && before !== undefined) {
    const after = reader.head(cwd);
    if (after !== null && after.revision !== before.revision) {
      const commits = reader.commitsBetween(cwd, before.revision, after.revision, MAX_ATTRIBUTED_COMMITS);
      out[VCS_ATTRIBUTES.REF_HEAD_REVISION] = after.revision;
      if (after.branch !== undefined) out[VCS_ATTRIBUTES.REF_HEAD_NAME] = after.branch;
      if (commits.length > 0) {
        out[LOOPLINE_VCS_ATTRIBUTES.COMMITS] = commits;
        out[LOOPLINE_VCS_ATTRIBUTES.COMMIT_COUNT] = commits.length;
      }
    }
  }
  const urls = changeUrls(response);
  if (urls.length > 0) {
    out[LOOPLINE_VCS_ATTRIBUTES.CHANGE_URLS] = urls;
    const id = changeNumber(urls[0] as string);
    if (id !== undefined) out[VCS_ATTRIBUTES.CHANGE_ID] = id;
  }
  const pushed = pushedRef(command);
  if (pushed !== undefined) out[LOOPLINE_VCS_ATTRIBUTES.PUSHED_REF] = pushed;
  return out;
}

/** The turn's roll-up from its tool calls' VCS events: every commit and change, each once. */
export function turnVcsAttributes(
  events: readonly { name: string; attributes: SpanAttributes }[],
): SpanAttributes {
  const commits: string[] = [];
  const urls: string[] = [];
  for (const event of events) {
    if (event.name !== VCS_EVENT) continue;
    const c = event.attributes[LOOPLINE_VCS_ATTRIBUTES.COMMITS];
    if (Array.isArray(c))
      for (const sha of c) if (typeof sha === 'string' && !commits.includes(sha)) commits.push(sha);
    const u = event.attributes[LOOPLINE_VCS_ATTRIBUTES.CHANGE_URLS];
    if (Array.isArray(u))
      for (const url of u) if (typeof url === 'string' && !urls.includes(url)) urls.push(url);
  }
  const out: SpanAttributes = {};
  if (commits.length > 0) {
    out[LOOPLINE_VCS_ATTRIBUTES.COMMITS] = commits.slice(0, MAX_ATTRIBUTED_COMMITS);
    out[LOOPLINE_VCS_ATTRIBUTES.COMMIT_COUNT] = commits.length;
  }
  if (urls.length > 0) {
    out[LOOPLINE_VCS_ATTRIBUTES.CHANGE_URLS] = urls;
    const id = changeNumber(urls[0] as string);
    if (id !== undefined) out[VCS_ATTRIBUTES.CHANGE_ID] = id;
  }
  return out;
}

/** The turn span event one tool call's commits and changes are carried on until the turn ends. */
export const VCS_EVENT = 'loopline.vcs.change';
