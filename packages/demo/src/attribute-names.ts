/**
 * Attribute names the demo emits, as plain constants. `@loopline/conventions` will own these; until it
 * lands the demo keeps its own copy so the two packages can be written at the same time.
 */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  conversationId: 'gen_ai.conversation.id',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  reasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  tokenType: 'gen_ai.token.type',
  evaluationName: 'gen_ai.evaluation.name',
  evaluationScoreValue: 'gen_ai.evaluation.score.value',
  evaluationScoreLabel: 'gen_ai.evaluation.score.label',
  evaluationExplanation: 'gen_ai.evaluation.explanation',
} as const;

export const GEN_AI_OPERATION = {
  chat: 'chat',
  invokeAgent: 'invoke_agent',
  executeTool: 'execute_tool',
  evaluate: 'evaluate',
} as const;

export const GEN_AI_EVENT = {
  evaluationResult: 'gen_ai.evaluation.result',
} as const;

export const GEN_AI_METRIC = {
  tokenUsage: 'gen_ai.client.token.usage',
} as const;

export const CICD = {
  pipelineName: 'cicd.pipeline.name',
  pipelineActionName: 'cicd.pipeline.action.name',
  pipelineRunId: 'cicd.pipeline.run.id',
  pipelineRunUrl: 'cicd.pipeline.run.url.full',
  pipelineResult: 'cicd.pipeline.result',
  taskName: 'cicd.pipeline.task.name',
  taskType: 'cicd.pipeline.task.type',
  taskRunId: 'cicd.pipeline.task.run.id',
  taskRunResult: 'cicd.pipeline.task.run.result',
  workerName: 'cicd.worker.name',
} as const;

export const CICD_METRIC = {
  pipelineRunDuration: 'cicd.pipeline.run.duration',
} as const;

export const VCS = {
  repositoryName: 'vcs.repository.name',
  repositoryUrl: 'vcs.repository.url.full',
  refHeadName: 'vcs.ref.head.name',
  refHeadRevision: 'vcs.ref.head.revision',
  changeId: 'vcs.change.id',
} as const;

export const GENERAL = {
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  deploymentEnvironment: 'deployment.environment.name',
  osType: 'os.type',
  hostArch: 'host.arch',
  userId: 'user.id',
  userEmail: 'user.email',
  sessionId: 'session.id',
  errorType: 'error.type',
  eventName: 'event.name',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpRequestMethod: 'http.request.method',
  httpResponseStatusCode: 'http.response.status_code',
  processExitCode: 'process.exit.code',
  processExecutableName: 'process.executable.name',
} as const;

/** Claude Code's native names (log events and metrics), see SPECS §4. */
export const CLAUDE_CODE = {
  apiRequestEvent: 'claude_code.api_request',
  toolResultEvent: 'claude_code.tool_result',
  costMetric: 'claude_code.cost.usage',
  tokenMetric: 'claude_code.token.usage',
  model: 'model',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cacheReadTokens: 'cache_read_tokens',
  cacheCreationTokens: 'cache_creation_tokens',
  costUsd: 'cost_usd',
  durationMs: 'duration_ms',
  toolName: 'tool_name',
  toolUseId: 'tool_use_id',
  success: 'success',
  errorType: 'error_type',
  type: 'type',
} as const;

/** Loopline's own attributes for what no convention covers yet. */
export const LOOPLINE = {
  ticketId: 'loopline.ticket.id',
  reviewType: 'loopline.review.type',
  reviewVerdict: 'loopline.review.verdict',
  reviewTrigger: 'loopline.review.trigger',
  fixOutcome: 'loopline.fix.outcome',
  fixRevertedRevision: 'loopline.fix.reverted_revision',
  /** the name `loopline hook` writes (packages/claude-code HOOK_ATTRIBUTES), so demo queries work on real data */
  instructionFiles: 'claude_code.instructions.files',
  instructionsLoadedEvent: 'claude_code.instructions_loaded',
  instructionFilePath: 'file_path',
  instructionMemoryType: 'memory_type',
  instructionLoadReason: 'load_reason',
  // the names `loopline hook` records a policy decision under (packages/claude-code POLICY_ATTRIBUTES)
  policyRuleId: 'loopline.policy.rule_id',
  policyAction: 'loopline.policy.action',
  policyOutcome: 'loopline.policy.outcome',
  egressDecision: 'loopline.egress.decision',
  ciTaskKind: 'loopline.ci.task.kind',
  customerId: 'loopline.customer.id',
  investigationTrigger: 'loopline.investigation.trigger',
  timeToFirstToolUse: 'loopline.agent.time_to_first_tool_use',
  artifactType: 'loopline.artifact.type',
  evaluationFailureModes: 'loopline.evaluation.failure_modes',
} as const;

export const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;
