/** Proto enum names, accepted in OTLP/JSON beside the integer values the spec requires. */

export const SPAN_KIND_NAMES: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

export const STATUS_CODE_NAMES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

export const AGGREGATION_TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

/** SEVERITY_NUMBER_UNSPECIFIED = 0, then TRACE, TRACE2..4 = 1..4, DEBUG = 5, … FATAL4 = 24. */
export const SEVERITY_NUMBER_NAMES: Readonly<Record<string, number>> = buildSeverityNames();

function buildSeverityNames(): Record<string, number> {
  const names: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  levels.forEach((level, i) => {
    names[`SEVERITY_NUMBER_${level}`] = i * 4 + 1;
    for (let n = 2; n <= 4; n++) names[`SEVERITY_NUMBER_${level}${n}`] = i * 4 + n;
  });
  return names;
}
