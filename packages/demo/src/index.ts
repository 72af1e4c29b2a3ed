/**
 * @loopline/demo — a realistic, deterministic week of the whole AI delivery line (IDE assistants,
 * handoff agents, CI with LLM jobs, a production investigator and its groundedness judge), as the
 * `Raw*` OTLP shapes of `@loopline/model`, generated lazily in batches.
 */
export type { RhythmProfile } from './activity-rhythm.ts';
export type { CiLlmJob, CiPipelineDef, CiTaskDef, CiTaskType } from './ci-pipeline-catalogue.ts';
export { CI_PIPELINES } from './ci-pipeline-catalogue.ts';
export type {
  DatasetName,
  DemoDataset,
  GroundednessLabel,
  ModelShare,
  Station,
} from './dataset-catalogue.ts';
export {
  DATASET_CATALOGUE,
  DATASET_NAMES,
  datasetByName,
  FAILURE_MODES,
  GROUNDEDNESS_LABELS,
  REVIEW_TYPES,
} from './dataset-catalogue.ts';
export { generateDemo } from './demo-generator.ts';
export type { DemoOptions, ResolvedDemoOptions } from './demo-options.ts';
export { resolveDemoOptions } from './demo-options.ts';
export type { DemoModel, DemoModelPrice, DemoModelTier, ProviderName } from './model-catalogue.ts';
export { MODEL_CATALOGUE, modelByName } from './model-catalogue.ts';
export type { DemoBatch } from './signal-sink.ts';
export type { Engineer, Repository } from './team.ts';
export { REPOSITORIES, TEAM } from './team.ts';
