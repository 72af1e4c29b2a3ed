import type { ReactNode } from 'react';
import { type ApiError, api, type Health } from '../lib/api.ts';
import { useAsync } from '../lib/use-async.ts';

export function Loading(props: { what?: string }): ReactNode {
  return (
    <div className="state state-loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" /> Loading{props.what ? ` ${props.what}` : ''}…
    </div>
  );
}

/** An error as a user should see it: the server's code and message and what to try; never a stack. */
export function ErrorState(props: { error: ApiError; onRetry?: () => void; hint?: ReactNode }): ReactNode {
  const { error } = props;
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <strong>{error.code === 'UNREACHABLE' ? 'Server unreachable' : 'Something went wrong'}</strong>
      <p>
        {error.message} <code className="error-code">{error.code}</code>
      </p>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {props.onRetry ? (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="state state-empty" data-testid="empty-state">
      <strong>{props.title}</strong>
      {props.children}
    </div>
  );
}

/** What to do when the store has no data yet: how to send some. */
export function SendDataHint(): ReactNode {
  const origin = window.location.origin;
  const health = useAsync((signal) => api.health({ signal }), 'health');
  return (
    <div className="send-data-hint">
      <p>Nothing has arrived in this time range. To see Loopline with data:</p>
      <ul>
        <li>
          load the demo week: <code>loopline demo --url {origin}</code> (or start with{' '}
          <code>loopline serve --demo</code>);
        </li>
        <li>
          or point any OpenTelemetry exporter at this server:{' '}
          <code>OTEL_EXPORTER_OTLP_ENDPOINT={origin}</code> (OTLP/HTTP, protobuf or JSON
          {grpcNote(health.data)});
        </li>
        <li>or widen the time range above.</li>
      </ul>
    </div>
  );
}

/** OTLP/gRPC as this server runs it (GET /api/health): its port, or that it is off; nothing until known. */
function grpcNote(health: Health | undefined): string {
  const grpc = health?.ports?.grpc;
  if (grpc === undefined) return '';
  return grpc === null ? '; OTLP/gRPC is off on this server' : `; OTLP/gRPC on port ${grpc}`;
}
