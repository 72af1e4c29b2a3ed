import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datasetsInRange,
  evaluationSpec,
  jobsSpec,
  lineActivitySpec,
  lineLlmSpec,
  panelLlmSpec,
  pricingSpec,
  type RangeFields,
  tierSpec,
  usersSpec,
} from '../../web/src/lib/home-queries.ts';
import { apiFuzzCases } from './helpers/api-fuzz-cases.ts';
import { FUZZ_MAX_BODY_BYTES, type FuzzCase, fuzzCase } from './helpers/fuzz-cases.ts';
import { apiAnswerProblems, otlpAnswerProblems } from './helpers/fuzz-checks.ts';
import { caseIndexes, chunks, pool, send as sendTo, type TextAnswer } from './helpers/fuzz-http.ts';
import {
  DEMO_END_MS,
  demoSeeds,
  KNOWN_DATASET,
  KNOWN_SPANS,
  KNOWN_TRACE_ID,
  knownTraceSeed,
  randomSeeds,
  type SeedRequest,
} from './helpers/fuzz-seeds.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * Mutated valid OTLP requests, every signal in both encodings, against a real server (DuckDB on disk):
 * no answer is a 5xx or shows the engine's text, and afterwards the store still answers everyone — the
 * datasets list, the home page's queries, a known trace, the conversations, a group-by on any key the
 * fuzzer planted. A 503 is not allowed either: at 4 requests in flight the overload limits (256 waiting
 * requests, 250,000 pending rows) cannot be reached, so a 503 here would be a failed store write.
 *
 * LOOPLINE_FUZZ_SEED picks the run (printed on failure), LOOPLINE_FUZZ_COUNT the number of requests,
 * LOOPLINE_FUZZ_CASE replays one case (`24`) or a window of cases (`0-249`) of the run. Measured on the
 * 2-core machine: the default 3,000 requests take 13-17 s (up to 34 s while other tests ran), the whole
 * file 20-25 s; the fuzz test's own timeout is 120 s, so a busy machine slows it without failing it.
 */
const RUN_SEED = Number(process.env.LOOPLINE_FUZZ_SEED ?? 20_261_120);
const COUNT = Number(process.env.LOOPLINE_FUZZ_COUNT ?? 3000);
const ONLY = process.env.LOOPLINE_FUZZ_CASE;
const CONCURRENCY = 4;
const FILE = 'packages/server/test/ingest-fuzz.test.ts';

const DAY_S = 86_400;
const DEMO_RANGE: RangeFields = {
  start_time: DEMO_END_MS / 1000 - 2 * DAY_S,
  end_time: DEMO_END_MS / 1000 + 3600,
};
const ALL_TIME: RangeFields = { start_time: 0, end_time: 32_503_680_000 };

let server: TestServer;
let seeds: SeedRequest[];
const serverLog: string[] = [];
/** dataset → rows per signal, after the valid seeds and before the fuzzing */
const before: Record<string, Map<string, number>> = {};

interface DatasetList {
  name: string;
  rows: number;
  first: string | null;
  last: string | null;
  attributes: { name: string; type: string }[];
}
type Datasets = Record<string, { datasets: DatasetList[] }>;

const send = (path: string, init: RequestInit): Promise<TextAnswer> => sendTo(server.httpUrl, path, init);

async function getJson<T>(path: string): Promise<T> {
  const answer = await send(path, {});
  expect(answer.status, `${path}: ${answer.text.slice(0, 300)}`).toBe(200);
  return JSON.parse(answer.text) as T;
}

async function query(spec: object): Promise<{ status: number; text: string }> {
  return send('/api/query', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
}

beforeAll(async () => {
  server = await startTestServer({
    grpcPort: null,
    maxBodyBytes: FUZZ_MAX_BODY_BYTES,
    log: (line) => serverLog.push(line),
  });
  seeds = [...demoSeeds(), ...randomSeeds(4), knownTraceSeed()];
  for (const seed of seeds) {
    const answer = await send(`/v1/${seed.signal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: seed.proto,
    });
    expect(answer.status, seed.label).toBe(200);
  }
  const datasets = await getJson<Datasets>('/api/datasets');
  for (const table of ['spans', 'logs', 'metrics']) {
    before[table] = new Map(datasets[table]?.datasets.map((d) => [d.name, d.rows]));
  }
  // the known trace is looked up afterwards: it is not mutated
  seeds = seeds.filter((seed) => seed.label !== 'known trace');
});
afterAll(async () => {
  await server?.close();
});

function describeFinding(fuzz: FuzzCase, problems: string[], answer?: TextAnswer): string {
  const status = answer ? `${answer.status} ${answer.text.slice(0, 200)}` : 'no answer';
  return `case ${fuzz.index} (${fuzz.what}, ${fuzz.path} ${JSON.stringify(fuzz.headers)}, ${fuzz.body.length} bytes): ${problems.join('; ')} — ${status}`;
}

/** What a probe of the store finds wrong: the datasets list and an all-time query of the home page. */
async function probeStore(): Promise<string[]> {
  const problems: string[] = [];
  const datasets = await send('/api/datasets', {});
  if (datasets.status !== 200) problems.push(`GET /api/datasets answered ${datasets.status}`);
  const activity = await query(lineActivitySpec(ALL_TIME));
  if (activity.status !== 200) problems.push(`the home page's activity query answered ${activity.status}`);
  return problems;
}

describe(`ingest fuzz (LOOPLINE_FUZZ_SEED=${RUN_SEED})`, () => {
  it('answers every mutated OTLP request with 200, 400, 413 or 415, never a 5xx or engine text', async () => {
    const indexes = caseIndexes(COUNT, ONLY);
    const findings: string[] = [];
    const statuses = new Map<number, number>();
    // the store is probed every 250 cases (after each one in a short replay), so a request that breaks
    // it for everyone is found by the window it came in
    let broken = false;
    for (const chunk of chunks(indexes, indexes.length > 300 ? 250 : 1)) {
      await pool(chunk, CONCURRENCY, async (index) => {
        const fuzz = fuzzCase(RUN_SEED, index, seeds);
        try {
          const answer = await send(fuzz.path, { method: 'POST', headers: fuzz.headers, body: fuzz.body });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const problems = otlpAnswerProblems(answer, fuzz);
          if (problems.length > 0) findings.push(describeFinding(fuzz, problems, answer));
        } catch (error) {
          findings.push(describeFinding(fuzz, [`request failed: ${(error as Error).message}`]));
        }
      });
      const probe = broken ? [] : await probeStore();
      if (probe.length > 0) {
        broken = true;
        const window = `${chunk[0]}-${chunk.at(-1)}`;
        const which =
          chunk.length === 1
            ? `case ${chunk[0]} (${fuzzCase(RUN_SEED, chunk[0] as number, seeds).what})`
            : `cases ${window} (LOOPLINE_FUZZ_CASE=${window} finds the case)`;
        findings.push(`the store broke for everyone after ${which}: ${probe.join('; ')}`);
      }
    }
    const replay = `replay: LOOPLINE_FUZZ_SEED=${RUN_SEED} LOOPLINE_FUZZ_CASE=<n or a-b> npx vitest run ${FILE}`;
    expect(findings.sort(), `${findings.length} bad answers; ${replay}`).toEqual([]);
    // the fuzzer reached the decoders and the store, not just the front door
    if (indexes.length === COUNT) {
      const seen = `statuses ${JSON.stringify([...statuses].sort())}`;
      expect(statuses.get(200) ?? 0, seen).toBeGreaterThan(COUNT / 10);
      expect(statuses.get(400) ?? 0, seen).toBeGreaterThan(COUNT / 10);
      expect(statuses.get(413) ?? 0, seen).toBeGreaterThan(0);
      expect(statuses.get(415) ?? 0, seen).toBeGreaterThan(0);
    }
  }, 120_000);

  it('afterwards lists every dataset of the valid requests, with at least their rows', async () => {
    const datasets = await getJson<Datasets>('/api/datasets');
    for (const table of ['spans', 'logs', 'metrics']) {
      const now = new Map(datasets[table]?.datasets.map((d) => [d.name, d.rows]));
      for (const [name, rows] of before[table] ?? []) {
        expect(now.get(name), `${table} ${name}`).toBeGreaterThanOrEqual(rows);
      }
    }
    expect(before.spans?.get(KNOWN_DATASET)).toBe(4);
    expect(before.logs?.has('claude-code')).toBe(true);
    expect(before.metrics?.has('claude-code')).toBe(true);
  });

  it.each([
    ['the demo window', DEMO_RANGE],
    ['all time', ALL_TIME],
    ['the default two hours', {}],
  ] as const)('afterwards answers every home page query over %s', async (_name, range) => {
    const datasets = await getJson<Datasets>('/api/datasets');
    const { active } = datasetsInRange(datasets.spans?.datasets ?? [], range, Date.now());
    const specs = [
      lineLlmSpec(range),
      lineActivitySpec(range),
      tierSpec(range),
      pricingSpec(range),
      jobsSpec(range),
      usersSpec(range),
      evaluationSpec(range),
      // a panel per station with rows in the range, fuzzed dataset names included
      ...active.map((dataset) => panelLlmSpec(dataset.name, range)),
    ];
    for (const spec of specs) {
      const answer = await query(spec);
      expect(answer.status, `${JSON.stringify(spec).slice(0, 300)}: ${answer.text.slice(0, 300)}`).toBe(200);
    }
    if (range === DEMO_RANGE) {
      const activity = JSON.parse((await query(lineActivitySpec(range))).text) as {
        groups: { key: Record<string, unknown>; values: Record<string, number> }[];
      };
      const known = activity.groups.filter((g) => g.key['service.name'] === KNOWN_DATASET);
      expect(known.map((g) => [g.key.error, g.values.COUNT]).sort()).toEqual([
        [false, 3],
        [true, 1],
      ]);
    }
  });

  it.each(['', '?view=waterfall'])(
    'afterwards looks up the known trace%s with exactly the spans sent',
    async (view) => {
      type Span = Record<string, unknown> & { span_id: string };
      const trace = await getJson<{ spans: Span[] }>(`/api/traces/${KNOWN_TRACE_ID}${view}`);
      const seen = trace.spans.map((span) => ({
        span_id: span.span_id,
        parent_span_id: span.parent_span_id || '',
        name: span.name,
        is_error: span.is_error,
        input_tokens: span.input_tokens,
        output_tokens: span.output_tokens,
      }));
      const sent = KNOWN_SPANS.map((span) => ({
        span_id: span.spanId,
        parent_span_id: span.parentSpanId ?? '',
        name: span.name,
        is_error: span.error === true,
        input_tokens: span.attributes?.['gen_ai.usage.input_tokens'] ?? null,
        output_tokens: span.attributes?.['gen_ai.usage.output_tokens'] ?? null,
      }));
      const bySpanId = (a: { span_id: string }, b: { span_id: string }): number =>
        a.span_id.localeCompare(b.span_id);
      expect(seen.sort(bySpanId)).toEqual(sent.sort(bySpanId));
    },
  );

  it('afterwards lists conversations, the known one among them', async () => {
    await getJson('/api/conversations');
    const start = DEMO_RANGE.start_time;
    const list = await getJson<{ conversations: { id: string; llmCalls: number; inputTokens: number }[] }>(
      `/api/conversations?start=${start}&end=${DEMO_RANGE.end_time}&limit=500&q=fuzz-conversation`,
    );
    expect(list.conversations.map((c) => [c.id, c.llmCalls, c.inputTokens])).toEqual([
      ['fuzz-conversation-1', 2, 2401],
    ]);
  });

  it('afterwards groups on any stored attribute key, the odd keys the fuzzer planted included', async () => {
    const datasets = await getJson<Datasets>('/api/datasets');
    const problems: string[] = [];
    for (const source of ['spans', 'logs', 'metrics']) {
      const keys = new Set(datasets[source]?.datasets.flatMap((d) => d.attributes.map((a) => a.name)));
      // the odd keys first (not a plain dotted name), then some plain ones
      const odd = [...keys].filter((key) => !/^[a-z][a-z0-9_.]*$/.test(key));
      const plain = [...keys].filter((key) => /^[a-z][a-z0-9_.]*$/.test(key)).slice(0, 5);
      for (const key of [...odd.slice(0, 40), ...plain]) {
        const spec = { source, ...ALL_TIME, breakdowns: [key], filters: [{ column: key, op: 'exists' }] };
        const answer = await query({ ...spec, limit: 5 });
        // a key over the query language's 16,384 characters (code points) is a clear 400 (413 when the
        // request is over the body limit); any other key answers
        const allowed = [...key].length > 16_384 ? [400, 413] : [200];
        const wrong = apiAnswerProblems(answer.status, answer.text, allowed);
        if (wrong.length > 0) {
          const text = answer.text.slice(0, 200);
          problems.push(`${source} ${JSON.stringify(key.slice(0, 60))}: ${wrong.join('; ')} — ${text}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers mutated queries, trace searches, trace ids and conversation parameters without a 5xx', async () => {
    const findings: string[] = [];
    const cases = apiFuzzCases(RUN_SEED, lineActivitySpec(DEMO_RANGE), [KNOWN_TRACE_ID]);
    await pool(cases, CONCURRENCY, async (fuzz) => {
      try {
        const answer = await send(fuzz.path, fuzz.init);
        const problems = apiAnswerProblems(answer.status, answer.text, fuzz.allowed);
        if (problems.length > 0) {
          findings.push(
            `${fuzz.what} ${fuzz.path.slice(0, 200)}: ${problems.join('; ')} — ${answer.text.slice(0, 200)}`,
          );
        }
      } catch (error) {
        findings.push(`${fuzz.what} ${fuzz.path.slice(0, 200)}: request failed: ${(error as Error).message}`);
      }
    });
    expect(findings.sort(), `LOOPLINE_FUZZ_SEED=${RUN_SEED}`).toEqual([]);
  });

  it('is still healthy and logged no failure', async () => {
    await getJson('/api/health');
    expect(serverLog.filter((line) => line.startsWith('error:')).map((line) => line.slice(0, 500))).toEqual(
      [],
    );
  });
});
