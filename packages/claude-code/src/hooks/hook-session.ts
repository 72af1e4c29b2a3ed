import { COMMON_ATTRIBUTES, GEN_AI_ATTRIBUTES, VCS_ATTRIBUTES } from '@loopline/conventions';
import type { SpanAttributes } from '../span-record.ts';
import type { HookContext } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';
import { HOOK_ATTRIBUTES } from './hook-names.ts';
import { type SessionState, STATE_FILES } from './hook-records.ts';

/**
 * The session's state from `session.json`; the first hook of a session makes it, running git once.
 * SessionStart (`start`) rewrites it with the source and model, and asks git again only when told to
 * (a resumed session may be on another branch).
 */
export function loadSession(
  ctx: HookContext,
  input: HookInput,
  start?: { refreshGit: boolean },
): SessionState {
  const known = ctx.store.read<SessionState>(STATE_FILES.SESSION);
  if (known !== undefined && start === undefined) return known;
  const session: SessionState = {
    sessionId: input.sessionId,
    startedUs: known?.startedUs ?? ctx.nowUs,
    git: known !== undefined && start?.refreshGit !== true ? known.git : ctx.git(input.cwd ?? known?.cwd),
  };
  const cwd = input.cwd ?? known?.cwd;
  const source = start === undefined ? undefined : text(input.raw, 'source');
  const model = text(input.raw, 'model') ?? known?.model;
  if (cwd !== undefined) session.cwd = cwd;
  if (source !== undefined) session.source = source;
  if (model !== undefined) session.model = model;
  ctx.store.write(STATE_FILES.SESSION, session);
  return session;
}

/** Attributes every span of the session carries: conversation, repository, branch and person. */
export function sessionAttributes(session: SessionState): SpanAttributes {
  const attributes: SpanAttributes = {
    [GEN_AI_ATTRIBUTES.CONVERSATION_ID]: session.sessionId,
    [HOOK_ATTRIBUTES.SESSION_ID]: session.sessionId,
  };
  const git = session.git;
  if (git === null) return attributes;
  const set = (key: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') attributes[key] = value;
  };
  set(VCS_ATTRIBUTES.REPOSITORY_NAME, git.repositoryName);
  set(VCS_ATTRIBUTES.REPOSITORY_URL_FULL, git.repositoryUrl);
  set(VCS_ATTRIBUTES.REF_HEAD_NAME, git.branch);
  set(VCS_ATTRIBUTES.REF_HEAD_REVISION, git.revision);
  set(COMMON_ATTRIBUTES.USER_ID, git.userEmail);
  set(COMMON_ATTRIBUTES.USER_EMAIL, git.userEmail);
  return attributes;
}
