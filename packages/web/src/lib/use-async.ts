import { useEffect, useState } from 'react';
import { ApiError } from './api.ts';

export type AsyncState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiError }
  | { status: 'ready'; data: T; error?: undefined };

/**
 * Runs `load` whenever `key` changes and tracks loading / error / ready. Each run gets its own
 * AbortSignal, aborted when the key changes, on reload, or when the component goes away: `load` hands it
 * to its requests so what nobody waits for any more is cancelled (queued ones are never sent). An
 * aborted or stale run never sets state, so fast clicking never shows the wrong page's data or an error.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for everything `load` reads
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setState({ status: 'loading' });
    load(signal).then(
      (data) => signal.aborted || setState({ status: 'ready', data }),
      (error: unknown) => signal.aborted || setState({ status: 'error', error: toApiError(error) }),
    );
    return () => controller.abort();
  }, [key, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) } as AsyncState<T> & { reload: () => void };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // never show a stack trace: keep only the message
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('CLIENT_ERROR', message, 0);
}
