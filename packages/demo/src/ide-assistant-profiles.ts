import type { DatasetName } from './dataset-catalogue.ts';
import { type ToolProfile, toolProfile as t } from './tool-span.ts';

export interface InstructionFile {
  readonly path: string;
  readonly memoryType: 'Project' | 'User';
  /** share of sessions in which the file loads */
  readonly probability: number;
}

/** What distinguishes one IDE assistant's telemetry from another's. */
export interface IdeAssistantProfile {
  readonly dataset: Extract<DatasetName, 'claude-code' | 'codex-cli'>;
  readonly agentName: string;
  readonly serviceVersion: string;
  readonly scope: { readonly name: string; readonly version: string };
  readonly tools: readonly (readonly [ToolProfile, number])[];
  readonly subAgentTools: readonly (readonly [ToolProfile, number])[];
  readonly subAgentTypes: readonly string[];
  readonly instructionFiles: readonly InstructionFile[];
  readonly callIdPrefix: string;
  readonly meanTurns: number;
  readonly meanSteps: number;
  readonly baseContextTokens: number;
  /** share of chats and tool calls that also produce a native log event */
  readonly chatLogShare: number;
  readonly toolLogShare: number;
}

const READ = t('Read', [25, 0.8], [0.015, 'file_not_found', 'file_too_large'], 1800);
const GREP = t('Grep', [120, 0.8], [0.005], 500);
const GLOB = t('Glob', [40, 0.6], [0.002], 200);
const BASH = t('Bash', [1800, 1.4], [0.07, 'exit_code_1', 'exit_code_2', 'timeout'], 700);

export const CLAUDE_CODE_PROFILE: IdeAssistantProfile = {
  dataset: 'claude-code',
  agentName: 'claude-code',
  serviceVersion: '2.1.201',
  scope: { name: 'com.anthropic.claude_code', version: '2.1.201' },
  tools: [
    [READ, 28],
    [BASH, 22],
    [t('Edit', [35, 0.6], [0.04, 'string_not_found', 'file_modified_since_read'], 150), 15],
    [GREP, 10],
    [GLOB, 5],
    [t('Write', [30, 0.5], [0.01, 'permission_denied'], 80), 4],
    [t('TodoWrite', [5, 0.3], [0], 60), 4],
    [t('WebFetch', [1500, 0.8], [0.09, 'http_403', 'http_404', 'timeout'], 2500), 2],
    [t('WebSearch', [2500, 0.5], [0.02], 1500), 1],
    [t('mcp__github__create_pull_request', [1400, 0.4], [0.03, 'github_api_error'], 200), 0.6],
    [t('mcp__linear__get_issue', [600, 0.5], [0.02, 'not_found'], 700), 1],
    [t('mcp__sentry__search_issues', [900, 0.5], [0.03, 'timeout'], 900), 0.6],
    [t('Agent', [0, 0], [0.01, 'subagent_error'], 1200, true), 1.5],
  ],
  subAgentTools: [
    [READ, 45],
    [GREP, 25],
    [GLOB, 15],
    [BASH, 15],
  ],
  subAgentTypes: ['Explore', 'Explore', 'general-purpose', 'code-reviewer'],
  instructionFiles: [
    { path: 'CLAUDE.md', memoryType: 'Project', probability: 0.88 },
    { path: '~/.claude/CLAUDE.md', memoryType: 'User', probability: 0.4 },
    { path: 'docs/CODING_STANDARDS.md', memoryType: 'Project', probability: 0.27 },
  ],
  callIdPrefix: 'toolu_01',
  meanTurns: 7,
  meanSteps: 4,
  baseContextTokens: 16_000,
  chatLogShare: 0.2,
  toolLogShare: 0.1,
};

export const CODEX_CLI_PROFILE: IdeAssistantProfile = {
  dataset: 'codex-cli',
  agentName: 'codex',
  serviceVersion: '0.98.0',
  scope: { name: 'codex_otel', version: '0.98.0' },
  tools: [
    [t('shell', [1600, 1.4], [0.08, 'exit_code_1', 'sandbox_denied', 'timeout'], 800), 55],
    [t('apply_patch', [60, 0.6], [0.05, 'patch_rejected'], 150), 22],
    [t('update_plan', [5, 0.3], [0], 60), 8],
    [t('web_search', [2200, 0.5], [0.03], 1400), 3],
    [t('view_image', [200, 0.5], [0.01], 900), 1],
    [t('mcp__github__get_pull_request', [800, 0.4], [0.03, 'github_api_error'], 900), 2],
  ],
  subAgentTools: [],
  subAgentTypes: [],
  instructionFiles: [
    { path: 'AGENTS.md', memoryType: 'Project', probability: 0.9 },
    { path: 'docs/CODING_STANDARDS.md', memoryType: 'Project', probability: 0.3 },
  ],
  callIdPrefix: 'call_',
  meanTurns: 5,
  meanSteps: 4,
  baseContextTokens: 12_000,
  chatLogShare: 0.2,
  toolLogShare: 0,
};
