/**
 * One fuzzed OTLP/HTTP request from a run's seed and the case's index: a valid seed request of one of the
 * three signals in one of the two encodings, mutated (json-mutator, proto-mutator), sometimes with odd
 * headers (wrong content type, gzip or deflate of the mutated body, a broken or bogus content encoding)
 * or posted to another signal's path. Each case has its own PRNG, so one case replays on its own.
 */
import zlib from 'node:zlib';
import { Random } from '../../../otlp/test/support/random-otlp.ts';
import type { Encoding } from './fuzz-checks.ts';
import { type SeedRequest, SIGNALS } from './fuzz-seeds.ts';
import { mutateJson } from './json-mutator.ts';
import { type Mutated, mutateProto, varint } from './proto-mutator.ts';

export interface FuzzCase {
  index: number;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** the encoding the content type names, or null when it names none Loopline takes */
  encoding: Encoding | null;
  /** what was done, for the failure message */
  what: string;
}

const CONTENT_TYPES: Readonly<Record<Encoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** Content types and the encoding each names (null: refused with 415). */
const ODD_CONTENT_TYPES: readonly [string, Encoding | null][] = [
  ['text/plain', null],
  ['application/octet-stream', null],
  ['application/grpc', null],
  ['multipart/form-data; boundary=x', null],
  ['application/jsonx', null],
  ['application/json; charset=utf-8', 'json'],
  ['APPLICATION/X-PROTOBUF', 'protobuf'],
  ['application/protobuf', 'protobuf'],
  ['application/x-protobuf;', 'protobuf'],
];

/** A case's PRNG: the run's seed and the case's index mixed, so neighbours are unrelated. */
export function caseRandom(runSeed: number, index: number): Random {
  return new Random(Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

type HeaderMutation = (
  rnd: Random,
  body: Uint8Array,
) => { body: Uint8Array; encoding?: string; what: string };

const HEADER_MUTATIONS: readonly HeaderMutation[] = [
  (_rnd, body) => ({ body: zlib.gzipSync(body), encoding: 'gzip', what: 'gzip' }),
  (_rnd, body) => ({ body: zlib.deflateSync(body), encoding: 'deflate', what: 'deflate' }),
  (rnd, body) => {
    const gz = zlib.gzipSync(body);
    const cut = rnd.int(gz.length);
    return { body: gz.subarray(0, cut), encoding: 'gzip', what: `gzip cut at ${cut} of ${gz.length}` };
  },
  (rnd, body) => {
    const gz = zlib.gzipSync(body);
    const at = 10 + rnd.int(Math.max(1, gz.length - 10));
    gz[at] = (gz[at] ?? 0) ^ 0xff;
    return { body: gz, encoding: 'gzip', what: 'gzip with a flipped byte' };
  },
  (_rnd, body) => ({ body, encoding: 'gzip', what: 'content-encoding gzip on a plain body' }),
  (_rnd, body) => ({ body: zlib.gzipSync(body), what: 'gzip body without content-encoding' }),
  (_rnd, body) => ({ body: zlib.gzipSync(zlib.gzipSync(body)), encoding: 'gzip', what: 'gzip twice' }),
  (rnd, body) => {
    const encoding = rnd.pick(['br', 'x-bogus', 'gzip, gzip', 'compress', 'zstd', '*']);
    return { body, encoding, what: `content-encoding ${encoding}` };
  },
  (rnd, body) => {
    const encoding = rnd.pick(['identity', ' GZIP ', 'Deflate']);
    const packed =
      encoding === 'identity'
        ? body
        : encoding.includes('GZIP')
          ? zlib.gzipSync(body)
          : zlib.deflateSync(body);
    return { body: packed, encoding, what: `content-encoding ${JSON.stringify(encoding)}` };
  },
];

/** The test server's body limit (startTestServer's maxBodyBytes in the fuzz test). */
export const FUZZ_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The body past the limit, still well formed: JSON with trailing spaces, protobuf with an unknown field. */
function oversized(body: Uint8Array, encoding: Encoding | null): Uint8Array {
  const padding = FUZZ_MAX_BODY_BYTES + 1024;
  if (encoding === 'json') return Buffer.concat([body, Buffer.alloc(padding, 0x20)]);
  return Buffer.concat([body, varint(99 * 8 + 2), varint(padding), Buffer.alloc(padding)]);
}

/** The seed mutated in its encoding (an untouched resend now and then: the duplicate filter's path). */
function mutated(rnd: Random, seed: SeedRequest, encoding: Encoding): Mutated {
  if (rnd.chance(0.04)) {
    const body = encoding === 'json' ? Buffer.from(JSON.stringify(seed.json)) : seed.proto;
    return { body, what: 'resent unchanged' };
  }
  return encoding === 'json' ? mutateJson(rnd, seed.json) : mutateProto(rnd, seed.proto);
}

/** The `index`th case of the run `runSeed`, drawn from `seeds`. */
export function fuzzCase(runSeed: number, index: number, seeds: readonly SeedRequest[]): FuzzCase {
  const rnd = caseRandom(runSeed, index);
  const signal = rnd.pick(SIGNALS);
  const pool = seeds.filter((seed) => seed.signal === signal);
  const seed = rnd.pick(pool);
  let encoding: Encoding | null = rnd.chance(0.5) ? 'json' : 'protobuf';
  const { body: mutatedBody, what } = mutated(rnd, seed, encoding);
  const steps = [`${seed.label} as ${encoding}`, what];
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[encoding] };
  let body = mutatedBody;
  if (rnd.chance(0.1)) {
    const [type, named] = rnd.pick(ODD_CONTENT_TYPES);
    headers['content-type'] = type;
    encoding = named;
    steps.push(`content-type ${type}`);
  }
  if (rnd.chance(0.12)) {
    const change = rnd.pick(HEADER_MUTATIONS)(rnd, body);
    body = change.body;
    if (change.encoding !== undefined) headers['content-encoding'] = change.encoding;
    steps.push(change.what);
  }
  if (rnd.chance(0.01)) {
    body = oversized(body, encoding);
    steps.push(`padded to ${body.length} bytes`);
  }
  let path = `/v1/${signal}`;
  if (rnd.chance(0.04)) {
    path = `/v1/${rnd.pick(SIGNALS.filter((other) => other !== signal))}`;
    steps.push(`posted to ${path}`);
  }
  return { index, path, headers, body, encoding, what: steps.join('; ') };
}
