/**
 * Fuzzed requests to the JSON API for the ingest fuzz test: mutated query specs for POST /api/query and
 * POST /api/traces/search, garbage trace, span and conversation ids, and garbage conversation-list
 * parameters. Each case says which statuses it may get (never a 5xx).
 */
import { Random } from '../../../otlp/test/support/random-otlp.ts';
import { mutateJson } from './json-mutator.ts';

export interface ApiFuzzCase {
  what: string;
  path: string;
  init: RequestInit;
  allowed: readonly number[];
}

const ODD_SEGMENTS = [
  '%',
  '%25',
  '%2F',
  '%2e%2e',
  '%00',
  '%ff%fe',
  '%E0%A4%A',
  '%ED%A0%80',
  '..',
  '%20',
  encodeURIComponent("'; DROP TABLE spans; --"),
  encodeURIComponent('日本🌍'),
  encodeURIComponent('\\'),
  'a'.repeat(5000),
  '0x1234',
  '-1',
  'null',
  '__proto__',
];

const ODD_VALUES = [
  '',
  '-1',
  '0',
  '1',
  '1e3',
  '9'.repeat(30),
  '9'.repeat(300),
  '0.000001',
  'NaN',
  'Infinity',
  '2026-13-45',
  '9999-12-31T23:59:59Z',
  '0000-01-01',
  '1970-01-01T00:00:00Z',
  '%ff',
  '%',
  'x'.repeat(2000),
  '%00',
  "'",
  '\\',
  '%E6%97%A5',
];

const PARAMS = ['time_range', 'start', 'end', 'dataset', 'agent', 'user', 'label', 'q', 'limit', 'offset'];

function hex(rnd: Random, length: number): string {
  return Array.from({ length }, () => '0123456789abcdefABCDEFxyz'[rnd.int(25)]).join('');
}

function segment(rnd: Random, validId: string): string {
  switch (rnd.int(4)) {
    case 0:
      return hex(rnd, rnd.pick([0, 1, 16, 31, 32, 33, 64]));
    case 1:
      return rnd.chance(0.5) ? validId.toUpperCase() : `${validId}${rnd.pick(ODD_SEGMENTS)}`;
    case 2:
      return Array.from(
        { length: 1 + rnd.int(6) },
        () => `%${rnd.int(256).toString(16).padStart(2, '0')}`,
      ).join('');
    default:
      return rnd.pick(ODD_SEGMENTS);
  }
}

function queryString(rnd: Random): string {
  const parts: string[] = [];
  for (let n = rnd.int(5); n >= 0; n--) {
    const name = rnd.chance(0.85)
      ? rnd.pick(PARAMS)
      : rnd.pick(['bogus', 'limit[]', 'start[a]', '', '__proto__']);
    parts.push(`${name}=${rnd.pick(ODD_VALUES)}`);
  }
  return parts.join('&');
}

const json = (body: Uint8Array): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});

/** About 400 cases of the run `runSeed`, from a valid query spec and trace ids that exist. */
export function apiFuzzCases(runSeed: number, spec: object, traceIds: readonly string[]): ApiFuzzCase[] {
  const rnd = new Random(runSeed ^ 0x5eed);
  const cases: ApiFuzzCase[] = [];
  for (let i = 0; i < 150; i++) {
    const mutated = mutateJson(rnd, spec);
    cases.push({
      what: `query ${mutated.what}`,
      path: '/api/query',
      init: json(mutated.body),
      allowed: [200, 400, 404],
    });
  }
  for (let i = 0; i < 80; i++) {
    const mutated = mutateJson(rnd, { query: spec, limit: 20 });
    cases.push({
      what: `search ${mutated.what}`,
      path: '/api/traces/search',
      init: json(mutated.body),
      allowed: [200, 400, 404],
    });
  }
  for (let i = 0; i < 60; i++) {
    const id = rnd.pick(traceIds);
    const view = rnd.chance(0.3)
      ? `?view=${rnd.pick(['waterfall', 'full', '', 'bogus', 'waterfall&view=full'])}`
      : '';
    cases.push({
      what: 'trace',
      path: `/api/traces/${segment(rnd, id)}${view}`,
      init: {},
      allowed: [200, 400, 404],
    });
    const span = segment(rnd, id.slice(0, 16));
    cases.push({ what: 'span', path: `/api/traces/${id}/spans/${span}`, init: {}, allowed: [200, 400, 404] });
  }
  for (let i = 0; i < 60; i++) {
    cases.push({
      what: 'conversations',
      path: `/api/conversations?${queryString(rnd)}`,
      init: {},
      allowed: [200, 400],
    });
    const id = segment(rnd, 'fuzz-conversation-1');
    cases.push({
      what: 'conversation',
      path: `/api/conversations/${id}`,
      init: {},
      allowed: [200, 400, 404],
    });
  }
  return cases;
}
