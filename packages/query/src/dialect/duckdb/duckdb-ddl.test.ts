import { expect, test } from 'vitest';
import { duckDbDialect } from './duckdb-dialect.ts';

test('DDL maps storage types and nullability', () => {
  expect(duckDbDialect.createTableSql('logs')).toBe(
    'CREATE TABLE IF NOT EXISTS "logs" ("timestamp" TIMESTAMP NOT NULL, "observed_timestamp" TIMESTAMP NOT NULL, ' +
      '"trace_id" VARCHAR NOT NULL, "span_id" VARCHAR NOT NULL, "severity_number" BIGINT NOT NULL, ' +
      '"severity_text" VARCHAR NOT NULL, "body" VARCHAR NOT NULL, "event_name" VARCHAR NOT NULL, ' +
      '"dataset" VARCHAR NOT NULL, "scope_name" VARCHAR NOT NULL, "conversation_id" VARCHAR, "user_id" VARCHAR, ' +
      '"sample_rate" BIGINT NOT NULL, "attributes" VARCHAR NOT NULL, "scope_version" VARCHAR)',
  );
  expect(duckDbDialect.createTableSql('metrics')).toMatch(/^CREATE TABLE IF NOT EXISTS "metric_points" \(/);
  expect(duckDbDialect.createTableSql('spans')).toContain('"cost_usd" DOUBLE, ');
  expect(duckDbDialect.createTableSql('spans')).toContain('"is_error" BOOLEAN NOT NULL, ');
});
