import type { RawSpan } from '@loopline/model';
import { GEN_AI, GEN_AI_EVENT, GEN_AI_OPERATION, LOOPLINE, SPAN_KIND } from './attribute-names.ts';
import { type ChatResult, emitChat } from './chat-span.ts';
import {
  datasetByName,
  FAILURE_MODES,
  GROUNDEDNESS_LABELS,
  type GroundednessLabel,
} from './dataset-catalogue.ts';
import type { GenerationContext } from './generation-context.ts';
import { modelTable } from './model-mix.ts';
import { agentResource } from './run-environment.ts';
import { addEvent, childSpan, us } from './span-factory.ts';
import { ShuffledDeck } from './weighted-table.ts';

type Label = (typeof GROUNDEDNESS_LABELS)[number];

/** Labels come from a shuffled deck of 100 so every hundred evaluations match the shares exactly. */
function labelDeck(): ShuffledDeck<Label> {
  return new ShuffledDeck<Label>(GROUNDEDNESS_LABELS.map((l) => [l, Math.round(l.share * 100)] as const));
}
const JUDGES = modelTable(datasetByName('evaluator').models);

const EXPLANATIONS: Record<GroundednessLabel, readonly string[]> = {
  'fully grounded': [
    'Every substantive claim is directly traceable to tool results; the diagnosis rests on the service’s own error messages.',
    'Error types, status codes and timings all appear in query output; no claim goes beyond the data.',
  ],
  'mostly grounded': [
    'The root cause is supported by query results; one latency figure is rounded beyond what the data shows.',
    'Claims about the failing endpoint match the queries; the deploy timing is inferred rather than observed.',
  ],
  'partially grounded': [
    'The affected service is correctly identified, but the stated error rate does not appear in any query result.',
    'Half of the timeline is traceable to tool output; the rest extrapolates from a single sample.',
  ],
  'weakly grounded': [
    'Amounts are off by factors of 10–100 and a specific error status is asserted that no query returned.',
    'The conclusion names a dependency that none of the queries examined.',
  ],
  ungrounded: [
    'The commit hash and the failing host appear to be hallucinated; no tool result supports the diagnosis.',
    'The answer describes an outage pattern that contradicts the query results.',
  ],
};

/** The judge's verdict on one investigation, decided before the spans are written. */
interface Verdict {
  readonly label: GroundednessLabel;
  readonly score: number;
  readonly explanation: string;
  readonly failureModes: string[] | undefined;
}

function decide(ctx: GenerationContext, deck: ShuffledDeck<Label>): Verdict {
  const { rng } = ctx;
  const label = deck.pick(rng);
  const score = Math.round(rng.between(label.score[0], label.score[1]) * 1000) / 1000;
  const weak = label.label === 'weakly grounded' || label.label === 'ungrounded';
  const tagged = weak || (label.label === 'partially grounded' && rng.chance(0.3));
  let failureModes: string[] | undefined;
  if (tagged) {
    const first = rng.int(FAILURE_MODES.length);
    failureModes = [FAILURE_MODES[first]!];
    if (weak && rng.chance(0.5))
      failureModes.push(FAILURE_MODES[(first + 1 + rng.int(2)) % FAILURE_MODES.length]!);
  }
  return { label: label.label, score, explanation: rng.pick(EXPLANATIONS[label.label]), failureModes };
}

export type GroundednessEvaluator = (target: {
  root: RawSpan;
  conversationId: string;
  startUs: number;
}) => number;

/**
 * An online groundedness judge: `evaluate groundedness` in the investigation's own trace (its parent
 * is the investigation's root span), the judge's `chat` span under it, and a `gen_ai.evaluation.result`
 * event carrying the verdict. The returned function writes one evaluation and returns when it ends.
 */
export function createGroundednessEvaluator(ctx: GenerationContext): GroundednessEvaluator {
  const res = agentResource(ctx, 'evaluator', '1.2.0');
  const deck = labelDeck();
  return (target) => evaluate(ctx, res, decide(ctx, deck), target);
}

function evaluate(
  ctx: GenerationContext,
  res: number,
  verdict: Verdict,
  target: { root: RawSpan; conversationId: string; startUs: number },
): number {
  const span = childSpan(ctx, target.root, {
    res,
    name: 'evaluate groundedness',
    kind: SPAN_KIND.internal,
    startUs: target.startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.evaluate,
      [GEN_AI.evaluationName]: 'groundedness',
      [GEN_AI.conversationId]: target.conversationId,
    },
  });
  const chat = judge(ctx, res, span, target.conversationId);
  Object.assign(span.attributes, {
    [GEN_AI.evaluationScoreValue]: verdict.score,
    [GEN_AI.evaluationScoreLabel]: verdict.label,
    [GEN_AI.evaluationExplanation]: verdict.explanation,
  });
  if (verdict.failureModes !== undefined)
    span.attributes[LOOPLINE.evaluationFailureModes] = verdict.failureModes;
  span.endUs = chat.span.endUs + 5000 + ctx.rng.int(45_000);
  addEvent(span, span.endUs, GEN_AI_EVENT.evaluationResult, {
    [GEN_AI.evaluationName]: 'groundedness',
    [GEN_AI.evaluationScoreValue]: verdict.score,
    [GEN_AI.evaluationScoreLabel]: verdict.label,
    [GEN_AI.evaluationExplanation]: verdict.explanation,
  });
  return span.endUs;
}

function judge(ctx: GenerationContext, res: number, parent: RawSpan, conversationId: string): ChatResult {
  const model = JUDGES.pick(ctx.rng);
  const request = {
    res,
    parent,
    startUs: parent.startUs + 3000 + ctx.rng.int(40_000),
    model,
    inputTokens: Math.round(ctx.rng.logNormal(30_000, 0.5)),
    cachedTokens: 0,
    outputMedian: 320,
    finish: 'stop' as const,
    conversationId,
  };
  let chat = emitChat(ctx, request);
  if (chat.failed)
    chat = emitChat(ctx, { ...request, startUs: chat.span.endUs + us(1 + ctx.rng.next() * 3) });
  if (!chat.failed) ctx.observeTokens(res, model, chat.span.endUs, chat.input, chat.output);
  return chat;
}
