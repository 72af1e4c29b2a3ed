import type { RawSpan } from '@loopline/model';
import { CICD, GEN_AI, GEN_AI_OPERATION, GENERAL, LOOPLINE, SPAN_KIND, VCS } from './attribute-names.ts';
import { emitChat } from './chat-span.ts';
import { REVIEW_TYPES } from './dataset-catalogue.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';
import { gitSha } from './ids.ts';
import type { DemoModel } from './model-catalogue.ts';
import { modelDeck } from './model-mix.ts';
import { agentResource, type Env, pickPeople } from './run-environment.ts';
import { rootSpan, us } from './span-factory.ts';
import { emitTool, toolProfile as t } from './tool-span.ts';
import { pickBranch, prNumber } from './vcs-names.ts';
import { type Picker, ShuffledDeck, WeightedTable } from './weighted-table.ts';

interface ReviewKind {
  readonly type: string;
  readonly models: Picker<DemoModel>;
  readonly chats: readonly [min: number, max: number];
}

const CHAT_COUNTS: Record<string, readonly [number, number]> = {
  general: [2, 4],
  framework: [2, 5],
  'dependency-bump': [1, 2],
  security: [3, 6],
};

/** Review kinds and their models are dealt from decks; each demo run gets fresh ones. */
function kindDeck(): ShuffledDeck<ReviewKind> {
  return new ShuffledDeck<ReviewKind>(
    REVIEW_TYPES.map(
      (r) =>
        [
          { type: r.type, models: modelDeck(r.models), chats: CHAT_COUNTS[r.type]! },
          Math.round(r.share * 100),
        ] as const,
    ),
  );
}
const TRIGGERS = new WeightedTable<string>([
  ['pull_request.opened', 50],
  ['pull_request.synchronize', 35],
  ['issue_comment.created', 15],
]);
const VERDICTS = new WeightedTable<string>([
  ['approve', 45],
  ['comment', 40],
  ['request_changes', 15],
]);
const GET_DIFF = t('get_pr_diff', [700, 0.6], [0.01, 'github_api_error'], 0);
const READ_FILE = t('read_file', [250, 0.6], [0.01, 'not_found'], 0);
const POST_REVIEW = t('post_review', [800, 0.5], [0.015, 'github_api_error'], 0);

/** The workflow and job the review runs as, on every pull-request event. */
const PIPELINE = 'pr-review';
const TASK = 'review';

interface ReviewEnv extends Env {
  nextRunId: number;
  nextTaskRunId: number;
}

/** Makes the unit generator for the PR-review agent: each call writes one review run (one trace). */
export function createPrReviewGenerator(ctx: GenerationContext): UnitGenerator {
  const env: ReviewEnv = {
    ctx,
    res: agentResource(ctx, 'pr-review', '2.3.1'),
    nextRunId: 14_000_000_000 + ctx.labels.int(1_000_000),
    nextTaskRunId: 38_000_000_000 + ctx.labels.int(1_000_000),
  };
  const kinds = kindDeck();
  return (startUs) => generateReview(env, kinds.pick(ctx.rng), startUs);
}

function generateReview(env: ReviewEnv, kind: ReviewKind, startUs: number): void {
  const { ctx, res } = env;
  const { engineer, repo } = pickPeople(ctx);
  const trigger = TRIGGERS.pick(ctx.rng);
  const pr = prNumber(ctx.rng);
  const branch = kind.type === 'dependency-bump' ? 'renovate/all-minor-patch' : pickBranch(ctx.rng);
  const revision = gitSha(ctx.rng);
  env.nextRunId += 1 + ctx.labels.int(40);
  env.nextTaskRunId += 1 + ctx.labels.int(200);
  const root = rootSpan(ctx, {
    res,
    // the review job's CI environment, on every span of the run
    resource: {
      [CICD.pipelineName]: PIPELINE,
      [CICD.pipelineRunId]: String(env.nextRunId),
      [CICD.taskName]: TASK,
      [CICD.taskRunId]: String(env.nextTaskRunId),
      [VCS.repositoryName]: repo.name,
      [VCS.repositoryUrl]: repo.url,
      [VCS.refHeadName]: branch,
      [VCS.refHeadRevision]: revision,
      [VCS.changeId]: pr,
    },
    name: 'invoke_agent pr-review',
    kind: SPAN_KIND.internal,
    startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: 'pr-review',
      [LOOPLINE.reviewType]: kind.type,
      [LOOPLINE.reviewTrigger]: trigger,
      [VCS.changeId]: pr,
      [VCS.repositoryName]: repo.name,
      [VCS.refHeadName]: branch,
      [VCS.refHeadRevision]: revision,
      [GENERAL.userId]: engineer.id,
    },
  });
  let t = tool(env, root, GET_DIFF, root.startUs + us(0.5 + ctx.rng.next()));
  t = reviewChats(env, root, kind, t);
  const comments = ctx.rng.int(3);
  for (let i = 0; i < comments + 1; i++) t = tool(env, root, POST_REVIEW, t);
  root.attributes[LOOPLINE.reviewVerdict] = VERDICTS.pick(ctx.rng);
  root.endUs = t + us(0.2 + ctx.rng.next());
}

function reviewChats(env: Env, root: RawSpan, kind: ReviewKind, startUs: number): number {
  const { ctx, res } = env;
  const model = kind.models.pick(ctx.rng);
  const count = ctx.rng.intBetween(kind.chats[0], kind.chats[1]);
  let tokens = 4000 + Math.round(ctx.rng.logNormal(12_000, 0.9));
  let t = startUs;
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    const chat = emitChat(ctx, {
      res,
      parent: root,
      startUs: t,
      model,
      inputTokens: tokens,
      cachedTokens: i === 0 ? 0 : tokens - 2000,
      outputMedian: last ? 700 : 250,
      finish: last ? 'stop' : 'tool',
      conversationId: undefined,
    });
    if (!chat.failed) ctx.observeTokens(res, model, chat.span.endUs, chat.input, chat.output);
    tokens += chat.output + 2000;
    t = last ? chat.span.endUs + 20_000 : tool(env, root, READ_FILE, chat.span.endUs + 15_000);
  }
  return t;
}

function tool(env: Env, root: RawSpan, profile: ReturnType<typeof t>, startUs: number): number {
  const span = emitTool(env.ctx, {
    res: env.res,
    parent: root,
    startUs,
    tool: profile,
    callIdPrefix: 'call_',
  });
  return span.endUs + 5000 + env.ctx.rng.int(40_000);
}
