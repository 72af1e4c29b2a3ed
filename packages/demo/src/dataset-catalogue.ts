/**
 * The datasets (resource `service.name`) the demo fills, the station of the delivery line each stands
 * for, its share of the span budget and its model mix. Tests and docs elsewhere may assert on these.
 */
export const DATASET_NAMES = [
  'claude-code',
  'codex-cli',
  'coding-agent',
  'pr-review',
  'fix-the-build',
  'ci',
  'investigator',
  'evaluator',
] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];
export type Station = 'create' | 'handoff' | 'build' | 'operate' | 'evaluate';

export interface ModelShare {
  readonly model: string;
  /** intended share of the dataset's chat spans (0..1) */
  readonly share: number;
}

export interface DemoDataset {
  readonly name: DatasetName;
  readonly station: Station;
  /** intended share of all spans (0..1); the evaluator's spans are generated inside investigations */
  readonly spanShare: number;
  readonly description: string;
  readonly models: readonly ModelShare[];
}

const ms = (model: string, share: number): ModelShare => ({ model, share });

export const DATASET_CATALOGUE: readonly DemoDataset[] = [
  {
    name: 'claude-code',
    station: 'create',
    spanShare: 0.34,
    description: 'Claude Code in the IDE: one trace per prompt turn, sessions across turns, sub-agents',
    models: [
      ms('claude-opus-4-6', 0.405),
      ms('claude-sonnet-4-6', 0.265),
      ms('claude-haiku-4-5', 0.13),
      ms('claude-opus-4-5', 0.09),
      ms('claude-sonnet-4-5', 0.075),
      ms('claude-opus-4-1', 0.015),
      ms('claude-sonnet-4-20250514', 0.015),
      ms('inhouse-coder-ft-v3', 0.005),
    ],
  },
  {
    name: 'codex-cli',
    station: 'create',
    spanShare: 0.11,
    description: 'Codex CLI in the IDE, a smaller second assistant under the same conventions',
    models: [ms('gpt-5.1-codex', 0.46), ms('gpt-5', 0.18), ms('gpt-5-mini', 0.12), ms('gpt-5-codex', 0.24)],
  },
  {
    name: 'coding-agent',
    station: 'handoff',
    spanShare: 0.08,
    description: 'ticket → PR runs behind an egress fence, tagged with the human who triggered them',
    models: [
      ms('claude-opus-4-6', 0.55),
      ms('claude-sonnet-4-6', 0.3),
      ms('claude-opus-4-5', 0.08),
      ms('claude-haiku-4-5', 0.07),
    ],
  },
  {
    name: 'pr-review',
    station: 'handoff',
    spanShare: 0.03,
    description: 'reviews of every PR: general, framework, dependency-bump and security',
    models: [
      ms('claude-sonnet-4-6', 0.53),
      ms('claude-opus-4-6', 0.22),
      ms('gemini-2.5-pro', 0.15),
      ms('claude-haiku-4-5', 0.07),
      ms('gpt-5-mini', 0.03),
    ],
  },
  {
    name: 'fix-the-build',
    station: 'handoff',
    spanShare: 0.01,
    description: 'narrow runs that repair a red main, reverting when they must',
    models: [ms('claude-sonnet-4-6', 0.7), ms('claude-opus-4-6', 0.3)],
  },
  {
    name: 'ci',
    station: 'build',
    spanShare: 0.18,
    description: 'CI pipelines (cicd.* conventions) with LLM jobs beside compile and test jobs',
    models: [
      ms('claude-sonnet-4-6', 0.4),
      ms('claude-haiku-4-5', 0.19),
      ms('gpt-5', 0.17),
      ms('gpt-5-mini', 0.16),
      ms('gemini-2.5-flash', 0.08),
    ],
  },
  {
    name: 'investigator',
    station: 'operate',
    spanShare: 0.235,
    description: 'production incident investigator: conversations across traces, sub-agents, many queries',
    models: [
      ms('claude-sonnet-4-6', 0.56),
      ms('claude-sonnet-4-5', 0.2),
      ms('gpt-5', 0.12),
      ms('claude-haiku-4-5', 0.12),
    ],
  },
  {
    name: 'evaluator',
    station: 'evaluate',
    spanShare: 0.015,
    description: 'groundedness judge, its spans in the same trace as the investigation it scores',
    models: [ms('gemini-2.5-flash', 0.6), ms('claude-sonnet-4-5', 0.4)],
  },
];

/** The catalogue entry for a dataset. */
export function datasetByName(name: DatasetName): DemoDataset {
  const dataset = DATASET_CATALOGUE.find((d) => d.name === name);
  if (dataset === undefined) throw new Error(`unknown demo dataset ${name}`);
  return dataset;
}

export const REVIEW_TYPES = [
  { type: 'general', share: 0.55, models: [ms('claude-sonnet-4-6', 0.8), ms('claude-opus-4-6', 0.2)] },
  { type: 'framework', share: 0.2, models: [ms('gemini-2.5-pro', 0.6), ms('claude-sonnet-4-6', 0.4)] },
  { type: 'dependency-bump', share: 0.18, models: [ms('claude-haiku-4-5', 0.7), ms('gpt-5-mini', 0.3)] },
  { type: 'security', share: 0.07, models: [ms('claude-opus-4-6', 1)] },
] as const;

export const GROUNDEDNESS_LABELS = [
  { label: 'mostly grounded', share: 0.32, score: [0.75, 0.9] },
  { label: 'partially grounded', share: 0.29, score: [0.5, 0.75] },
  { label: 'fully grounded', share: 0.23, score: [0.9, 1] },
  { label: 'weakly grounded', share: 0.11, score: [0.25, 0.5] },
  { label: 'ungrounded', share: 0.05, score: [0, 0.25] },
] as const;

export type GroundednessLabel = (typeof GROUNDEDNESS_LABELS)[number]['label'];

export const FAILURE_MODES = ['hallucinated data', 'over-extrapolation', 'unsupported claim'] as const;
