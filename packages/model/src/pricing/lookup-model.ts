import type { ModelPrice, PriceTable } from './price-table.ts';

/**
 * Finds a model's prices. Tried in order, first hit wins:
 * 1. `<provider>/<model>` exactly (lets an override price one provider's hosting differently);
 * 2. the model name exactly, then lowercased;
 * 3. with routing prefixes removed: everything up to the last `/` (`anthropic/claude-…`,
 *    `models/gemini-…`, Vertex `publishers/anthropic/models/claude-…`), a Vertex `@version`, a `[1m]`
 *    context marker, and Bedrock ids (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`);
 * 4. then, repeatedly, without a snapshot suffix: `-20250929`, `-2025-08-07`, `-001`, `-latest`,
 *    `-preview-09-2025`, `-preview`, and finally with `-preview` added (`gemini-3.1-pro` →
 *    `gemini-3.1-pro-preview`).
 * Results are memoised per table.
 */
const cacheByTable = new WeakMap<PriceTable, Map<string, ModelPrice | null>>();
const CACHE_LIMIT = 10_000;

const SNAPSHOT_SUFFIXES: readonly RegExp[] = [
  /-\d{8}$/,
  /-\d{4}-\d{2}-\d{2}$/,
  /-\d{3}$/,
  /-latest$/,
  /-preview-\d{2}-\d{4}$/,
  /-preview$/,
  /-exp$/,
];

const BEDROCK_ID = /^(?:[a-z]{2,6}\.)?(?:anthropic|openai|google)\.(.+?)(?:-v\d+(?::\d+)?)?$/;

function stripRouting(model: string): string {
  let name = model;
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  const at = name.indexOf('@');
  if (at > 0) name = name.slice(0, at);
  const bracket = name.indexOf('[');
  if (bracket > 0) name = name.slice(0, bracket);
  const bedrock = BEDROCK_ID.exec(name);
  if (bedrock?.[1] !== undefined) name = bedrock[1];
  return name;
}

function search(table: PriceTable, model: string, provider: string | undefined): ModelPrice | null {
  const models = table.models;
  if (provider !== undefined && provider !== '') {
    const scoped = models.get(`${provider}/${model}`);
    if (scoped !== undefined) return scoped;
  }
  const exact = models.get(model) ?? models.get(model.toLowerCase());
  if (exact !== undefined) return exact;
  let name = stripRouting(model.toLowerCase());
  for (;;) {
    const hit = models.get(name);
    if (hit !== undefined) return hit;
    const shorter = stripOneSuffix(name);
    if (shorter === name) break;
    name = shorter;
  }
  return models.get(`${name}-preview`) ?? null;
}

function stripOneSuffix(name: string): string {
  for (const suffix of SNAPSHOT_SUFFIXES) {
    const stripped = name.replace(suffix, '');
    if (stripped !== name && stripped !== '') return stripped;
  }
  return name;
}

/** The prices of `model` (optionally as served by `provider`), or undefined when the table lacks it. */
export function lookupModel(table: PriceTable, model: string, provider?: string): ModelPrice | undefined {
  let cache = cacheByTable.get(table);
  if (cache === undefined) {
    cache = new Map();
    cacheByTable.set(table, cache);
  }
  const key = provider === undefined ? model : `${provider}\u0000${model}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = search(table, model, provider);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, hit);
  }
  return hit ?? undefined;
}
