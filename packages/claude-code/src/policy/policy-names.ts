/** Span attribute and event names of policy decisions (`loopline.policy.*`). */
export const POLICY_ATTRIBUTES = {
  /** the rule that decided the call */
  RULE_ID: 'loopline.policy.rule_id',
  /** the rule's action: `deny`, `ask`, `allow` */
  ACTION: 'loopline.policy.action',
  /** `denied`, `asked`, `allowed` */
  OUTCOME: 'loopline.policy.outcome',
  /** the reason shown to the assistant or the user */
  REASON: 'loopline.policy.reason',
  /** the rule's level: `MUST`, `MUST_NOT` */
  LEVEL: 'loopline.policy.level',
  /** true when the same rule already denied or asked about an earlier call of the session */
  REPEAT: 'loopline.policy.repeat',
  /** turn span: how many tool calls a rule decided in the turn */
  DECISIONS: 'loopline.policy.decisions',
  /** turn span: the ids of the rules that decided (sorted, each once) */
  RULE_IDS: 'loopline.policy.rule_ids',
  /** turn span: why a policy file was ignored (file:line:column: message) */
  ERROR: 'loopline.policy.error',
} as const;

export const POLICY_EVENT_NAMES = {
  /** on the turn span: one per decided tool call */
  DECISION: 'loopline.policy.decision',
  /** on the turn span: a policy file could not be used (the hook failed open) */
  ERROR: 'loopline.policy.error',
} as const;

/** `error.type` of a tool call a policy rule denied. */
export const POLICY_DENIED_ERROR_TYPE = 'policy_denied';
