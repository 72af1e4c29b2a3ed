import { GENERAL } from './attribute-names.ts';
import type { DatasetName } from './dataset-catalogue.ts';
import type { GenerationContext } from './generation-context.ts';
import { type Engineer, REPOSITORIES, type Repository, TEAM } from './team.ts';
import { WeightedTable } from './weighted-table.ts';

/** What a unit generator carries around: the context and its dataset's resource. */
export interface Env {
  readonly ctx: GenerationContext;
  readonly res: number;
}

const ENGINEERS = new WeightedTable(TEAM.map((e) => [e, e.activity] as const));
const REPOS = new WeightedTable(REPOSITORIES.map((r) => [r, r.weight] as const));

/** The person and repository a run is about. */
export function pickPeople(ctx: GenerationContext): { engineer: Engineer; repo: Repository } {
  return { engineer: ENGINEERS.pick(ctx.rng), repo: REPOS.pick(ctx.rng) };
}

/** The IDE assistants register one resource per person (see the IDE generator); these are shared. */
type SharedDataset = Exclude<DatasetName, 'claude-code' | 'codex-cli'>;

const SCOPES: Record<SharedDataset, string> = {
  'coding-agent': '@loopline/cli',
  'pr-review': '@loopline/cli',
  'fix-the-build': '@loopline/cli',
  ci: '@loopline/ci',
  investigator: '@loopline/sdk',
  evaluator: '@loopline/eval',
};

/** Registers (once) the resource of a dataset that is not per-person. */
export function agentResource(ctx: GenerationContext, dataset: SharedDataset, version: string): number {
  return ctx.sink.resource(dataset, () => ({
    attributes: {
      [GENERAL.serviceName]: dataset,
      [GENERAL.serviceVersion]: version,
      [GENERAL.deploymentEnvironment]:
        dataset === 'investigator' || dataset === 'evaluator' ? 'production' : 'ci',
    },
    scope: { name: SCOPES[dataset], version: '0.1.0', attributes: {} },
  }));
}
