import { describe, expect, it } from 'vitest';
import {
  CICD_ATTRIBUTES,
  CLAUDE_CODE_EVENTS,
  CLAUDE_CODE_SPANS,
  CODEX_EVENTS,
  GEMINI_CLI_EVENTS,
  GEN_AI_ATTRIBUTES,
  GEN_AI_DEPRECATED_ATTRIBUTES,
  GEN_AI_DEV_ATTRIBUTES,
  GEN_AI_OPERATIONS,
  GEN_AI_PROVIDERS,
  VCS_ATTRIBUTES,
} from './index.ts';

const values = (group: Record<string, string>): string[] => Object.values(group);

describe('conventions', () => {
  it('holds the 50 v1.41.0 GenAI registry attributes, all distinct and gen_ai.*', () => {
    const names = values(GEN_AI_ATTRIBUTES);
    expect(names).toHaveLength(50);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^gen_ai\.[a-z_.]+$/);
  });

  it('keeps [dev] and deprecated names apart from the released ones', () => {
    const released = new Set(values(GEN_AI_ATTRIBUTES));
    for (const name of [...values(GEN_AI_DEV_ATTRIBUTES), ...values(GEN_AI_DEPRECATED_ATTRIBUTES)]) {
      expect(released.has(name)).toBe(false);
    }
    expect(GEN_AI_DEV_ATTRIBUTES.USAGE_CACHE_WRITE_INPUT_TOKENS).toBe(
      'gen_ai.usage.cache_write.input_tokens',
    );
  });

  it('lists the v1.41.0 operations and providers', () => {
    expect(values(GEN_AI_OPERATIONS)).toHaveLength(9);
    expect(GEN_AI_PROVIDERS.GCP_VERTEX_AI).toBe('gcp.vertex_ai');
    expect(GEN_AI_PROVIDERS.AZURE_AI_INFERENCE).toBe('azure.ai.inference');
  });

  it('names cicd / vcs attributes and assistant events under their prefixes', () => {
    for (const name of values(CICD_ATTRIBUTES)) expect(name.startsWith('cicd.')).toBe(true);
    for (const name of values(VCS_ATTRIBUTES)) expect(name.startsWith('vcs.')).toBe(true);
    for (const name of [...values(CLAUDE_CODE_SPANS), ...values(CLAUDE_CODE_EVENTS)]) {
      expect(name.startsWith('claude_code.')).toBe(true);
    }
    for (const name of values(CODEX_EVENTS)) expect(name.startsWith('codex.')).toBe(true);
    for (const name of values(GEMINI_CLI_EVENTS)) expect(name.startsWith('gemini_cli.')).toBe(true);
  });
});
