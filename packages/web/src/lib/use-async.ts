import { useEffect, useState } from 'react';
import { ApiError } from './api.ts';

export type AsyncState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiError }
  | { status: 'ready'; data: T; error?: undefined };

/**
 * Runs `load` whenever `key` changes and tracks loading / error / ready. A stale answer (the key changed
 * while it was in flight) is dropped, so fast clicking never shows the wrong page's data.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for everything `load` reads
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    load().then(
      (data) => current && setState({ status: 'ready', data }),
      (error: unknown) => current && setState({ status: 'error', error: toApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [key, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) } as AsyncState<T> & { reload: () => void };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // never show a stack trace: keep only the message
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('CLIENT_ERROR', message, 0);
}
