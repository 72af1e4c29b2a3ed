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
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, member: unknown) => {
      if (key === '__proto__') forbidden ??= '"__proto__"';
      else if (key === 'constructor' && hasOwnPrototype(member))
        forbidden ??= '"constructor" with a "prototype"';
      return member;
    });
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (forbidden !== undefined) {
    throw new AppError('BAD_REQUEST', `a ${forbidden} key is not accepted in a JSON body`);
  }
  return value;
}

function hasOwnPrototype(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype');
}
