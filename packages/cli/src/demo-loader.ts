import { generateDemo } from '@loopline/demo';
import { AppError } from '@loopline/model';
import { encodeLogsProto, encodeMetricsProto, encodeTracesProto } from '@loopline/otlp';
import { postOtlp } from './http-client.ts';

export interface DemoLoadOptions {
  url: string;
  spans: number;
  seed: number;
  days: number;
  concurrency?: number;
  endTimeMs?: number;
  log: (line: string) => void;
}

/** Generates the demo week and sends it through OTLP/HTTP protobuf, the same path any exporter takes. */
export async function loadDemo(options: DemoLoadOptions): Promise<{ spans: number; seconds: number }> {
  const started = Date.now();
  const endTimeMs = options.endTimeMs ?? Math.floor(Date.now() / 60_000) * 60_000;
  const batches = generateDemo({ seed: options.seed, spans: options.spans, days: options.days, endTimeMs });
  let sent = 0;
  let nextReport = 0.1;
  const inFlight = new Set<Promise<void>>();
  const send = async (path: string, body: Uint8Array): Promise<void> => {
    const { status, text } = await postOtlp(`${options.url}${path}`, {
      body,
      contentType: 'application/x-protobuf',
    });
    if (status !== 200)
      throw new AppError('BAD_REQUEST', `the server answered ${status} to demo data: ${text.slice(0, 200)}`);
  };
  for (const batch of batches) {
    const work = (async () => {
      if (batch.resourceSpans.length) await send('/v1/traces', encodeTracesProto(batch.resourceSpans));
      if (batch.resourceLogs.length) await send('/v1/logs', encodeLogsProto(batch.resourceLogs));
      if (batch.resourceMetrics.length) await send('/v1/metrics', encodeMetricsProto(batch.resourceMetrics));
      sent += batch.spanCount;
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    if (inFlight.size >= (options.concurrency ?? 4)) await Promise.race(inFlight);
    if (sent / options.spans >= nextReport) {
      options.log(
        `demo: ${sent.toLocaleString('en-US')} / ${options.spans.toLocaleString('en-US')} spans sent`,
      );
      nextReport += 0.1;
    }
  }
  await Promise.all(inFlight);
  const seconds = (Date.now() - started) / 1000;
  options.log(`demo: ${sent.toLocaleString('en-US')} spans loaded in ${seconds.toFixed(1)} s`);
  return { spans: sent, seconds };
}
