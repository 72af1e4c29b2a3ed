import type { RawSpan } from '@loopline/model';
import { GENERAL, LOOPLINE, SPAN_KIND } from './attribute-names.ts';
import type { GenerationContext } from './generation-context.ts';
import { childSpan, markError } from './span-factory.ts';

export const ALLOWED_HOSTS: readonly string[] = [
  'github.com',
  'api.github.com',
  'registry.npmjs.org',
  'objects.githubusercontent.com',
  'developer.mozilla.org',
];

export const DENIED_HOSTS: readonly string[] = [
  'pastebin.com',
  'api.segment.io',
  'gist.githubusercontent.com',
  'webhook.site',
  'telemetry.nx.app',
];

/**
 * One connection attempt through the loopback allowlist proxy (the egress fence), as an
 * `http.request` CLIENT span. Denied attempts fail fast with a 403 and an error status.
 */
export function emitEgress(
  ctx: GenerationContext,
  target: { res: number; parent: RawSpan; startUs: number; host: string; allowed: boolean },
): RawSpan {
  const { rng } = ctx;
  const span = childSpan(ctx, target.parent, {
    res: target.res,
    name: 'http.request',
    kind: SPAN_KIND.client,
    startUs: target.startUs,
    attributes: {
      [GENERAL.serverAddress]: target.host,
      [GENERAL.serverPort]: 443,
      [GENERAL.httpRequestMethod]: 'CONNECT',
      [LOOPLINE.egressDecision]: target.allowed ? 'allow' : 'deny',
      [GENERAL.httpResponseStatusCode]: target.allowed ? 200 : 403,
    },
  });
  if (target.allowed) {
    span.endUs = target.startUs + 40_000 + Math.round(rng.logNormal(400_000, 0.9));
  } else {
    markError(span, 'egress_denied', `${target.host} is not on the egress allowlist`);
    span.endUs = target.startUs + 500 + rng.int(4000);
  }
  return span;
}

/** A few attempts in a row under `parent`, returning when the last one ends. */
export function emitEgressBurst(
  ctx: GenerationContext,
  burst: { res: number; parent: RawSpan; startUs: number; hosts: readonly string[]; denyShare: number },
): number {
  let t = burst.startUs;
  const count = 1 + ctx.rng.int(3);
  for (let i = 0; i < count; i++) {
    const denied = ctx.rng.chance(burst.denyShare);
    const host = denied ? ctx.rng.pick(DENIED_HOSTS) : ctx.rng.pick(burst.hosts);
    const span = emitEgress(ctx, {
      res: burst.res,
      parent: burst.parent,
      startUs: t,
      host,
      allowed: !denied,
    });
    t = span.endUs + 1000 + ctx.rng.int(50_000);
  }
  return t;
}
