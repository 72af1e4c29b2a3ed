import type { ModelShare } from './dataset-catalogue.ts';

export type CiTaskType = 'build' | 'test' | 'deploy';

/** An LLM job: its chats run inside the task span, next to the compile and test tasks. */
export interface CiLlmJob {
  readonly models: readonly ModelShare[];
  readonly chats: readonly [min: number, max: number];
  readonly inputMedian: number;
  readonly outputMedian: number;
}

export interface CiTaskDef {
  readonly name: string;
  readonly type: CiTaskType;
  /** tasks of one stage run in parallel; stages run in order */
  readonly stage: number;
  readonly medianS: number;
  readonly sigma: number;
  readonly failRate: number;
  /** share of runs that include the task */
  readonly probability: number;
  /** runs only after another task failed (triage jobs) */
  readonly onFailure: boolean;
  readonly llm: CiLlmJob | undefined;
}

export interface CiPipelineDef {
  readonly name: string;
  readonly action: 'BUILD' | 'RUN' | 'SYNC';
  readonly weight: number;
  readonly tasks: readonly CiTaskDef[];
}

const task = (
  name: string,
  type: CiTaskType,
  stage: number,
  timing: readonly [medianS: number, sigma: number, failRate: number],
  extra: { probability?: number; onFailure?: boolean; llm?: CiLlmJob } = {},
): CiTaskDef => ({
  name,
  type,
  stage,
  medianS: timing[0],
  sigma: timing[1],
  failRate: timing[2],
  probability: extra.probability ?? 1,
  onFailure: extra.onFailure ?? false,
  llm: extra.llm,
});

const llm = (
  models: readonly ModelShare[],
  chats: readonly [number, number],
  inputMedian: number,
  outputMedian: number,
): CiLlmJob => ({
  models,
  chats,
  inputMedian,
  outputMedian,
});

const CHECKOUT = task('checkout', 'build', 0, [8, 0.5, 0.002]);
const INSTALL = task('install dependencies', 'build', 1, [75, 0.6, 0.005]);
const COMPILE = task('compile', 'build', 2, [140, 0.4, 0.03]);

const AI_REVIEW = llm(
  [
    { model: 'claude-sonnet-4-6', share: 0.6 },
    { model: 'gpt-5', share: 0.25 },
    { model: 'gemini-2.5-flash', share: 0.15 },
  ],
  [1, 3],
  18_000,
  600,
);
const AI_CHEAP = llm(
  [
    { model: 'claude-haiku-4-5', share: 0.55 },
    { model: 'gpt-5-mini', share: 0.45 },
  ],
  [1, 3],
  9000,
  400,
);

export const CI_PIPELINES: readonly CiPipelineDef[] = [
  {
    name: 'build-and-test',
    action: 'RUN',
    weight: 70,
    tasks: [
      CHECKOUT,
      INSTALL,
      COMPILE,
      task('lint', 'test', 3, [35, 0.4, 0.03]),
      task('unit tests', 'test', 3, [220, 0.4, 0.05]),
      task('security scan', 'test', 3, [60, 0.5, 0.01]),
      task('ai review', 'test', 3, [0, 0, 0.005], { probability: 0.7, llm: AI_REVIEW }),
      task('integration tests', 'test', 4, [300, 0.5, 0.04], { probability: 0.5 }),
      task('deploy preview', 'deploy', 5, [45, 0.4, 0.01], { probability: 0.6 }),
      task('ai test triage', 'test', 6, [0, 0, 0.005], { onFailure: true, llm: AI_CHEAP }),
    ],
  },
  {
    name: 'release',
    action: 'BUILD',
    weight: 8,
    tasks: [
      CHECKOUT,
      INSTALL,
      COMPILE,
      task('package', 'build', 3, [50, 0.4, 0.01]),
      task('ai release notes', 'build', 3, [0, 0, 0.005], { llm: AI_CHEAP }),
      task('deploy assets', 'deploy', 4, [90, 0.4, 0.02]),
    ],
  },
  {
    name: 'nightly-e2e',
    action: 'RUN',
    weight: 5,
    tasks: [
      CHECKOUT,
      INSTALL,
      task('e2e tests', 'test', 2, [1500, 0.3, 0.12]),
      task('ai test triage', 'test', 3, [0, 0, 0.005], { onFailure: true, llm: AI_CHEAP }),
    ],
  },
  {
    name: 'dependency-audit',
    action: 'RUN',
    weight: 7,
    tasks: [
      CHECKOUT,
      INSTALL,
      task('security scan', 'test', 2, [60, 0.5, 0.02]),
      task('ai dependency review', 'test', 3, [0, 0, 0.005], { llm: AI_CHEAP }),
    ],
  },
  {
    name: 'docs',
    action: 'RUN',
    weight: 10,
    tasks: [
      CHECKOUT,
      INSTALL,
      task('build docs', 'build', 2, [40, 0.4, 0.01]),
      task('link check', 'test', 3, [20, 0.4, 0.04]),
      task('deploy docs', 'deploy', 4, [30, 0.4, 0.01]),
    ],
  },
];
