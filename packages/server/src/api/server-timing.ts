/**
 * The phases of one API request and how long each took, sent back as a `Server-Timing` header (W3C
 * Server Timing: `name;dur=ms`, shown by a browser's network panel and printed by `npm run bench:query`),
 * so a slow answer says where its time went: a store read, or the server and the network around it.
 * `total` is the time from the request's arrival to the header being written (before the body is sent).
 */
export class ServerTiming {
  private readonly started = performance.now();
  private readonly phases: { name: string; ms: number }[] = [];

  /** Times `work` under `name` (a token: letters, digits, `_` or `-`); a phase run twice adds up. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, performance.now() - started);
    }
  }

  add(name: string, ms: number): void {
    const known = this.phases.find((phase) => phase.name === name);
    if (known) known.ms += ms;
    else this.phases.push({ name, ms });
  }

  header(): string {
    return [...this.phases, { name: 'total', ms: performance.now() - this.started }]
      .map(({ name, ms }) => `${name};dur=${ms.toFixed(2)}`)
      .join(', ');
  }
}

/** The `dur` of each metric of a `Server-Timing` header (the bench and tests read it back). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const metric of (header ?? '').split(',')) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.find((param) => param.trim().startsWith('dur='));
    if (name && dur) out[name] = Number(dur.trim().slice(4));
  }
  return out;
}
