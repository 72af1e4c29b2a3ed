import { describe, expect, it } from 'vitest';
import { normalizeProvider } from './operation.ts';

describe('normalizeProvider', () => {
  it.each([
    ['anthropic', 'anthropic'],
    ['Anthropic', 'anthropic'],
    ['anthropic.messages', 'anthropic'],
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['google.generative-ai', 'gcp.gemini'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['gemini', 'gcp.gemini'],
    ['vertex_ai', 'gcp.vertex_ai'],
    ['vertexai', 'gcp.vertex_ai'],
    ['az.ai.inference', 'azure.ai.inference'],
    ['az.ai.openai', 'azure.ai.openai'],
    ['azure.ai.inference', 'azure.ai.inference'],
    ['azure-openai.chat', 'azure.ai.openai'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['aws.bedrock', 'aws.bedrock'],
    ['mistralai', 'mistral_ai'],
    ['xai', 'x_ai'],
    ['ibm.watsonx.ai', 'ibm.watsonx.ai'],
    ['my-gateway', 'my-gateway'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeProvider(raw)).toBe(expected);
  });
});
