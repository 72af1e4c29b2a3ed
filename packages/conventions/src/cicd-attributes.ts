/**
 * CI/CD and VCS semantic conventions (semantic-conventions `model/cicd/*`, `model/vcs/*`, Release
 * Candidate). A pipeline run span is SERVER kind, named `{cicd.pipeline.action.name} {cicd.pipeline.name}`;
 * task run spans are INTERNAL.
 */
export const CICD_ATTRIBUTES = {
  PIPELINE_NAME: 'cicd.pipeline.name',
  PIPELINE_RUN_ID: 'cicd.pipeline.run.id',
  PIPELINE_RUN_URL_FULL: 'cicd.pipeline.run.url.full',
  PIPELINE_RUN_STATE: 'cicd.pipeline.run.state',
  PIPELINE_RESULT: 'cicd.pipeline.result',
  PIPELINE_ACTION_NAME: 'cicd.pipeline.action.name',
  PIPELINE_TASK_NAME: 'cicd.pipeline.task.name',
  PIPELINE_TASK_RUN_ID: 'cicd.pipeline.task.run.id',
  PIPELINE_TASK_RUN_URL_FULL: 'cicd.pipeline.task.run.url.full',
  PIPELINE_TASK_RUN_RESULT: 'cicd.pipeline.task.run.result',
  PIPELINE_TASK_TYPE: 'cicd.pipeline.task.type',
  WORKER_ID: 'cicd.worker.id',
  WORKER_NAME: 'cicd.worker.name',
  WORKER_URL_FULL: 'cicd.worker.url.full',
  WORKER_STATE: 'cicd.worker.state',
} as const;

/** Values of `cicd.pipeline.result` and `cicd.pipeline.task.run.result`. */
export const CICD_RESULTS = {
  SUCCESS: 'success',
  FAILURE: 'failure',
  ERROR: 'error',
  TIMEOUT: 'timeout',
  CANCELLATION: 'cancellation',
  SKIP: 'skip',
} as const;
export type CicdResult = (typeof CICD_RESULTS)[keyof typeof CICD_RESULTS];

export const CICD_PIPELINE_RUN_STATES = {
  PENDING: 'pending',
  EXECUTING: 'executing',
  FINALIZING: 'finalizing',
} as const;

export const CICD_PIPELINE_ACTIONS = {
  BUILD: 'BUILD',
  RUN: 'RUN',
  SYNC: 'SYNC',
} as const;

export const CICD_TASK_TYPES = {
  BUILD: 'build',
  TEST: 'test',
  DEPLOY: 'deploy',
} as const;

export const CICD_METRICS = {
  PIPELINE_RUN_DURATION: 'cicd.pipeline.run.duration',
  PIPELINE_RUN_ACTIVE: 'cicd.pipeline.run.active',
  PIPELINE_RUN_ERRORS: 'cicd.pipeline.run.errors',
  WORKER_COUNT: 'cicd.worker.count',
  SYSTEM_ERRORS: 'cicd.system.errors',
} as const;

export const VCS_ATTRIBUTES = {
  REPOSITORY_URL_FULL: 'vcs.repository.url.full',
  REPOSITORY_NAME: 'vcs.repository.name',
  REF_HEAD_NAME: 'vcs.ref.head.name',
  REF_HEAD_REVISION: 'vcs.ref.head.revision',
  CHANGE_ID: 'vcs.change.id',
  /** `open`, `wip`, `closed` or `merged` (VCS_CHANGE_STATES) */
  CHANGE_STATE: 'vcs.change.state',
} as const;

/** `vcs.change.state` values. */
export const VCS_CHANGE_STATES = {
  OPEN: 'open',
  WIP: 'wip',
  CLOSED: 'closed',
  MERGED: 'merged',
} as const;

/**
 * What an assistant's tool call produced in version control (Loopline extensions: the VCS conventions
 * have one revision and one change per span, a tool call or a turn can make several).
 */
export const LOOPLINE_VCS_ATTRIBUTES = {
  /** string[]: the commits a tool call (or, on the turn span, the turn) added, newest first */
  COMMITS: 'loopline.vcs.commits',
  /** how many commits; on the turn span, the turn's total */
  COMMIT_COUNT: 'loopline.vcs.commit.count',
  /** string[]: pull / merge request URLs a tool call (or the turn) opened or printed */
  CHANGE_URLS: 'loopline.vcs.change.urls',
  /** what the tool call did to the change: `created`, `merged`, `commented`, … (Claude Code's `gitOperation.pr.action`) */
  CHANGE_ACTION: 'loopline.vcs.change.action',
  /** the ref a `git push` in the tool call pushed */
  PUSHED_REF: 'loopline.vcs.pushed_ref',
} as const;

/** Older VCS names (before the `vcs.ref.head.*` rename), accepted on ingest. */
export const VCS_DEPRECATED_ATTRIBUTES = {
  REPOSITORY_REF_NAME: 'vcs.repository.ref.name',
  REPOSITORY_REF_REVISION: 'vcs.repository.ref.revision',
} as const;
