import http from 'node:http';
import net from 'node:net';

export interface RawAnswer {
  /** the status of the first response, or null when the server closed without one */
  status: number | null;
  /** everything the server sent */
  text: string;
  /** from the connection's start to the server closing it */
  closedAfterMs: number;
}

/** A plain TCP connection to a loopback port: what was written, and what came back once it closed. */
export interface RawConnection {
  socket: net.Socket;
  /** resolves when the server closes the connection */
  answer: Promise<RawAnswer>;
  /** resolves with the text received so far once it holds `needle` `times` times */
  waitFor(needle: string, times?: number): Promise<string>;
}

export function connect(port: number): Promise<RawConnection> {
  const started = Date.now();
  const socket = net.connect({ host: '127.0.0.1', port });
  let text = '';
  const waiters: { needle: string; times: number; resolve: (text: string) => void }[] = [];
  const holds = (needle: string, times: number): boolean => text.split(needle).length > times;
  socket.on('data', (chunk) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => holds(w.needle, w.times))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(text);
    }
  });
  const answer = new Promise<RawAnswer>((resolve) => {
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, text, closedAfterMs: Date.now() - started });
    });
  });
  const waitFor = (needle: string, times = 1): Promise<string> =>
    holds(needle, times)
      ? Promise.resolve(text)
      : new Promise((resolve) => waiters.push({ needle, times, resolve }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, answer, waitFor }));
    socket.once('error', reject);
  });
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request with any headers (Host included, which fetch does not let a caller set). */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
