/**
 * Commits and pull requests a tool call produced, attributed to that call and rolled up on its turn. A
 * shell command that may change history (it runs git other than a read-only subcommand, or `gh`/`glab`)
 * gets the repository's HEAD read before it runs (PreToolUse) and after (PostToolUse); the commits between
 * are the call's. A PR URL in the output of `gh pr create` (or `glab mr create`) is the call's change. Git
 * is run only for such commands, so other tool calls pay nothing (bench:hook). Claude Code also puts a
 * `gitOperation` on a Bash call's output (its first commit, a push, a PR's number and action): read for
 * the push and the PR, and for the commit when HEAD could not be read. Imported transcripts have no HEAD:
 * there `gitOperation` and the `[branch sha] message` lines git prints for each new commit are read.
 */
import { LOOPLINE_VCS_ATTRIBUTES, VCS_ATTRIBUTES, VCS_CHANGE_STATES } from '@loopline/conventions';
import type { SpanAttributes } from '../span-record.ts';
import type { HookContext } from './hook-context.ts';
import { type SessionState, STATE_FILES } from './hook-records.ts';

/** HEAD of a work tree: the revision and the branch (absent when detached). */
export interface VcsHead {
  revision: string;
  branch?: string;
}

/** HEAD before a tool call ran, and the folder it was read in (read there again after the call). */
export interface VcsBefore extends VcsHead {
  cwd?: string;
}

/** The git reads the hook needs; the CLI supplies them. */
export interface VcsReader {
  head(cwd: string): VcsHead | null;
  /** commits reachable from `to` but not from `from`, newest first, at most `max` */
  commitsBetween(cwd: string, from: string, to: string, max: number): string[];
}

/** At most this many commits are listed on one span (a rebase can rewrite hundreds). */
export const MAX_ATTRIBUTED_COMMITS = 20;

/** The turn span event one tool call's commits and changes are carried on until the turn ends. */
export const VCS_EVENT = 'loopline.vcs.change';

const SHELL_TOOLS = new Set(['Bash', 'PowerShell', 'Shell', 'run_shell_command', 'shell', 'exec_command']);
/** `git …` or `gh …`/`glab …` as a command word (after a separator, `env`, `sudo`, a path), not in a word. */
const VCS_COMMAND = /(?:^|[\s;&|(`$]|\/)(?:git|gh|glab)(?:\s|$)/;
const FORGE_COMMAND = /(?:^|[\s;&|(`$]|\/)(?:gh|glab)(?:\s|$)/;
/** each `git` word with its global options (`-C dir`, `-c k=v`, `--no-pager`, `--git-dir=…`) and subcommand */
const GIT_INVOCATION =
  /(?:^|[\s;&|(`$]|\/)git((?:\s+-[Cc]\s+\S+|\s+--?[A-Za-z][\w-]*(?:=\S+)?)*)(?:\s+([A-Za-z][\w-]*))?/g;
/** git subcommands that never move HEAD, switch branch or publish anything */
const READ_ONLY_GIT = new Set([
  'status',
  'diff',
  'log',
  'show',
  'blame',
  'grep',
  'ls-files',
  'ls-tree',
  'ls-remote',
  'rev-parse',
  'rev-list',
  'describe',
  'shortlog',
  'cat-file',
  'diff-tree',
  'diff-index',
  'reflog',
  'fetch',
  'help',
  'version',
]);
const PUSH = /(?:^|[\s;&|(])git(?:\s+-[Cc]\s+\S+)*\s+push\b([^;&|]*)/;
const CHANGE_URL = /https?:\/\/[^\s"'<>\\]+\/(?:pull|merge_requests)\/\d+/g;
/** `[main 1a2b3c4] message`, `[main (root-commit) 1a2b3c4] …`, `[detached HEAD 1a2b3c4] …` (git commit, cherry-pick, revert) */
const COMMIT_LINE = /^\[(?:detached HEAD|(\S+?)(?: \([^)\n]*\))?) ([0-9a-f]{7,64})\] /gm;

/** The shell command of a tool call, when the tool runs one. */
export function shellCommand(toolName: string, toolInput: unknown): string | undefined {
  if (!SHELL_TOOLS.has(toolName) || typeof toolInput !== 'object' || toolInput === null) return undefined;
  const command = (toolInput as { command?: unknown }).command;
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) return command.join(' ');
  return undefined;
}

/**
 * Whether a command may change or publish the repository's history (so HEAD is worth reading): it runs
 * `gh`/`glab`, or git with a subcommand other than a read-only one (`git status`, `git log | …` are not).
 */
export function mayTouchVcs(command: string): boolean {
  if (!VCS_COMMAND.test(command)) return false;
  if (FORGE_COMMAND.test(command)) return true;
  for (const match of command.matchAll(GIT_INVOCATION)) {
    const subcommand = match[2];
    if (subcommand === undefined || !READ_ONLY_GIT.has(subcommand)) return true;
  }
  return false;
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

function responseText(response: unknown): string {
  if (typeof response === 'string') return response;
  if (typeof response !== 'object' || response === null) return '';
  try {
    return JSON.stringify(response);
  } catch {
    return '';
  }
}

/** Pull / merge request URLs printed in a tool's response (stdout of `gh pr create`, …), each once. */
export function changeUrls(response: unknown): string[] {
  return [...new Set(responseText(response).match(CHANGE_URL) ?? [])];
}

/** `https://github.com/acme/shop/pull/42` → `42`. */
export function changeNumber(url: string): string | undefined {
  return /\/(?:pull|merge_requests)\/(\d+)$/.exec(url)?.[1];
}

/** The commits git reported creating in some output (`[branch sha] message` lines), newest first. */
export function commitLines(output: string): { sha: string; branch?: string }[] {
  const found: { sha: string; branch?: string }[] = [];
  for (const match of output.matchAll(COMMIT_LINE)) {
    const sha = match[2] as string;
    if (found.some((c) => c.sha === sha)) continue;
    found.push(match[1] === undefined ? { sha } : { sha, branch: match[1] });
  }
  return found.reverse();
}

/** Claude Code's classification of a Bash call's git / gh work (`gitOperation` on its output). */
export interface GitOperation {
  commit?: { sha: string; kind?: string; branch?: string };
  push?: { branch: string };
  pr?: { number: number; url?: string; action?: string };
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The `gitOperation` of a tool response, its fields checked. */
export function gitOperation(response: unknown): GitOperation | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const op = (response as { gitOperation?: unknown }).gitOperation;
  if (typeof op !== 'object' || op === null) return undefined;
  const { commit, push, pr } = op as Record<string, Record<string, unknown> | undefined>;
  const out: GitOperation = {};
  const sha = str(commit?.sha);
  if (sha !== undefined && /^[0-9a-f]{7,64}$/.test(sha)) {
    out.commit = { sha };
    const kind = str(commit?.kind);
    const branch = str(commit?.branch);
    if (kind !== undefined) out.commit.kind = kind;
    if (branch !== undefined) out.commit.branch = branch;
  }
  const pushed = str(push?.branch);
  if (pushed !== undefined) out.push = { branch: pushed };
  if (typeof pr?.number === 'number' && Number.isInteger(pr.number)) {
    out.pr = { number: pr.number };
    const url = str(pr.url);
    const action = str(pr.action);
    if (url !== undefined) out.pr.url = url;
    if (action !== undefined) out.pr.action = action;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const CREATE_CHANGE = /(?:^|[\s;&|(`$]|\/)(?:gh\s+pr\s+create|glab\s+mr\s+create)\b/;
const STATE_OF_ACTION: Record<string, string> = {
  created: VCS_CHANGE_STATES.OPEN,
  reopened: VCS_CHANGE_STATES.OPEN,
  ready: VCS_CHANGE_STATES.OPEN,
  draft: VCS_CHANGE_STATES.WIP,
  merged: VCS_CHANGE_STATES.MERGED,
  closed: VCS_CHANGE_STATES.CLOSED,
};

function changeAttributes(urls: readonly string[], out: SpanAttributes): void {
  if (urls.length === 0) return;
  out[LOOPLINE_VCS_ATTRIBUTES.CHANGE_URLS] = [...urls];
  const id = changeNumber(urls[0] as string);
  if (id !== undefined) out[VCS_ATTRIBUTES.CHANGE_ID] = id;
}

/**
 * What a call's command and response say without git: the pull / merge requests it printed or Claude Code
 * classified (number, URL, action, state), and the ref it pushed.
 */
function responseVcs(
  command: string,
  response: unknown,
  op: GitOperation | undefined,
  out: SpanAttributes,
): void {
  const urls = changeUrls(response);
  if (op?.pr?.url !== undefined && !urls.includes(op.pr.url)) urls.unshift(op.pr.url);
  changeAttributes(urls, out);
  if (op?.pr !== undefined) out[VCS_ATTRIBUTES.CHANGE_ID] = String(op.pr.number);
  const create = CREATE_CHANGE.exec(command);
  const action = op?.pr?.action ?? (urls.length > 0 && create !== null ? 'created' : undefined);
  if (action !== undefined) {
    out[LOOPLINE_VCS_ATTRIBUTES.CHANGE_ACTION] = action;
    // `gh pr create --draft` (its own words only, not a later command's)
    const createArgs = create === null ? '' : (command.slice(create.index).split(/[;&|]/)[0] ?? '');
    const draft = action === 'created' && /\s(?:--draft|-d)\b/.test(createArgs);
    const state = draft ? VCS_CHANGE_STATES.WIP : STATE_OF_ACTION[action];
    if (state !== undefined) out[VCS_ATTRIBUTES.CHANGE_STATE] = state;
  }
  const pushed = op?.push?.branch ?? pushedRef(command);
  if (pushed !== undefined) out[LOOPLINE_VCS_ATTRIBUTES.PUSHED_REF] = pushed;
}

function commitAttributes(commits: readonly string[], out: SpanAttributes): void {
  if (commits.length === 0) return;
  out[LOOPLINE_VCS_ATTRIBUTES.COMMITS] = commits.slice(0, MAX_ATTRIBUTED_COMMITS);
  out[LOOPLINE_VCS_ATTRIBUTES.COMMIT_COUNT] = commits.length;
}

/** A tool call's VCS attributes, and HEAD after it when it was read. */
export interface ToolVcs {
  attributes: SpanAttributes;
  head?: VcsHead;
}

/**
 * The tool span's VCS attributes from HEAD before and after the call (read in the same folder) and its
 * response. No attributes when the call changed nothing.
 */
export function toolVcs(
  reader: VcsReader | undefined,
  before: VcsBefore | undefined,
  command: string,
  response: unknown,
): ToolVcs {
  const attributes: SpanAttributes = {};
  let head: VcsHead | undefined;
  if (reader !== undefined && before?.cwd !== undefined) {
    head = reader.head(before.cwd) ?? undefined;
    if (head !== undefined && head.revision !== before.revision) {
      const commits = reader.commitsBetween(
        before.cwd,
        before.revision,
        head.revision,
        MAX_ATTRIBUTED_COMMITS,
      );
      attributes[VCS_ATTRIBUTES.REF_HEAD_REVISION] = head.revision;
      if (head.branch !== undefined) attributes[VCS_ATTRIBUTES.REF_HEAD_NAME] = head.branch;
      commitAttributes(commits, attributes);
    }
  }
  const op = gitOperation(response);
  if (head === undefined && op?.commit !== undefined) {
    // no HEAD to compare: Claude Code's own word for the (first) commit, abbreviated
    commitAttributes([op.commit.sha], attributes);
    if (op.commit.branch !== undefined) attributes[VCS_ATTRIBUTES.REF_HEAD_NAME] = op.commit.branch;
  }
  responseVcs(command, response, op, attributes);
  return head === undefined ? { attributes } : { attributes, head };
}

/**
 * The session follows HEAD: when a tool call committed or switched branch, the spans after it (and the
 * turn's) carry the new revision and branch. Only for a session whose repository was read at its start.
 */
export function followHead(ctx: HookContext, session: SessionState, head: VcsHead): void {
  const git = session.git;
  if (git === null || (git.revision === head.revision && git.branch === head.branch)) return;
  const next = { ...git, revision: head.revision };
  if (head.branch === undefined) delete next.branch;
  else next.branch = head.branch;
  session.git = next;
  ctx.store.write(STATE_FILES.SESSION, session);
}

/**
 * The VCS attributes of a tool call in an imported transcript: the commits git reported in its output
 * (abbreviated ids, as printed) and Claude Code's `gitOperation`, the branch they went to, PRs and a push.
 * Only for shell commands that may touch version control, so a `cat` of a log quoting commit lines adds
 * nothing. `output` is the tool_result's text, `toolUseResult` the record's structured output.
 */
export function transcriptToolVcs(
  toolName: string,
  input: unknown,
  output: string,
  toolUseResult: unknown,
): SpanAttributes {
  const command = shellCommand(toolName, input);
  if (command === undefined || !mayTouchVcs(command)) return {};
  const out: SpanAttributes = {};
  const stdout = str((toolUseResult as { stdout?: unknown } | null)?.stdout);
  const commits = commitLines(stdout === undefined ? output : `${output}\n${stdout}`);
  const op = gitOperation(toolUseResult);
  if (op?.commit !== undefined && !commits.some((c) => c.sha === op.commit?.sha)) commits.unshift(op.commit);
  commitAttributes(
    commits.map((c) => c.sha),
    out,
  );
  const branch = commits[0]?.branch;
  if (branch !== undefined) out[VCS_ATTRIBUTES.REF_HEAD_NAME] = branch;
  responseVcs(command, [output, toolUseResult], op, out);
  return out;
}

/**
 * A roll-up of tool calls' VCS attributes (a turn's), the calls in the order they ran: every commit once,
 * newest first (the last call's first), and every change URL once, in the order they were opened.
 */
export function rollUpVcs(calls: readonly SpanAttributes[]): SpanAttributes {
  const commits: string[] = [];
  const urls: string[] = [];
  for (const attributes of [...calls].reverse()) {
    const c = attributes[LOOPLINE_VCS_ATTRIBUTES.COMMITS];
    if (Array.isArray(c))
      for (const sha of c) if (typeof sha === 'string' && !commits.includes(sha)) commits.push(sha);
  }
  for (const attributes of calls) {
    const u = attributes[LOOPLINE_VCS_ATTRIBUTES.CHANGE_URLS];
    if (Array.isArray(u))
      for (const url of u) if (typeof url === 'string' && !urls.includes(url)) urls.push(url);
  }
  const out: SpanAttributes = {};
  commitAttributes(commits, out);
  changeAttributes(urls, out);
  // a change known by number only (Claude Code's gitOperation without a URL)
  const id = calls.find((c) => c[VCS_ATTRIBUTES.CHANGE_ID] !== undefined)?.[VCS_ATTRIBUTES.CHANGE_ID];
  if (out[VCS_ATTRIBUTES.CHANGE_ID] === undefined && id !== undefined) out[VCS_ATTRIBUTES.CHANGE_ID] = id;
  return out;
}

/** The turn's roll-up from its tool calls' VCS events. */
export function turnVcsAttributes(
  events: readonly { name: string; attributes: SpanAttributes }[],
): SpanAttributes {
  return rollUpVcs(events.filter((e) => e.name === VCS_EVENT).map((e) => e.attributes));
}
