import { AppError } from '@loopline/model';
import type { FastifyInstance } from 'fastify';

/**
 * The API's JSON bodies. Fastify's own parser refuses a `__proto__` key (and a `constructor` holding a
 * `prototype`) as it should, but calls the body "not valid JSON", which sends a client looking for a
 * syntax error that is not there; this one refuses the same keys and says so.
 */
export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as AppError, undefined);
    }
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new AppError('BAD_REQUEST', 'the body is empty; send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
  // only a body that could spell such a key (plainly or with \u escapes) is walked
  const forbidden = /__proto__|constructor|\\u/.test(text) ? forbiddenKey(value) : undefined;
  if (forbidden !== undefined) {
    throw new AppError('BAD_REQUEST', `a ${forbidden} key is not accepted in a JSON body`);
  }
  return value;
}

/**
 * The first `__proto__` key, or `constructor` holding a `prototype`, anywhere in a parsed body. Walked with
 * a stack of its own, not by recursion (nor a JSON.parse reviver): a body nested 100,000 deep overflowed
 * the call stack.
 */
function forbiddenKey(root: unknown): string | undefined {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return '"__proto__"';
      if (key === 'constructor' && hasOwnPrototype(member)) return '"constructor" with a "prototype"';
      pending.push(member);
    }
  }
  return undefined;
}

function hasOwnPrototype(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype');
}
