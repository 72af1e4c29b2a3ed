/** Progress of `loopline import`: a redrawn bar on a terminal, a plain line now and then otherwise. */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 24;
/** Plain mode prints at most this often, and always at each tenth of the sessions. */
const PLAIN_INTERVAL_MS = 5000;
/** A terminal redraw at most this often. */
const TTY_INTERVAL_MS = 100;

export class ImportProgress {
  private done = 0;
  private spansSent = 0;
  private lastDraw = 0;
  private lastTenth = 0;
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly verb: string,
    /** `sent`, or `to send` in a dry run */
    private readonly spanWord: string = 'sent',
    private readonly now: () => number = Date.now,
  ) {}

  /** After a session: how many are done and the running count of spans sent. */
  update(done: number, spansSent: number): void {
    this.done = done;
    this.spansSent = spansSent;
    const time = this.now();
    if (this.stream.isTTY === true) {
      if (time - this.lastDraw >= TTY_INTERVAL_MS || done === this.total) this.drawBar(time);
      return;
    }
    const tenth = this.total === 0 ? 10 : Math.floor((done * 10) / this.total);
    if (tenth > this.lastTenth || time - this.lastDraw >= PLAIN_INTERVAL_MS) {
      this.lastTenth = tenth;
      this.lastDraw = time;
      this.stream.write(`${this.line()}\n`);
    }
  }

  /** Clears the bar (a terminal) so the summary starts on a clean line. */
  finish(): void {
    if (this.stream.isTTY === true && this.drawn) this.stream.write('\r\x1b[2K');
  }

  private drawBar(time: number): void {
    this.lastDraw = time;
    this.drawn = true;
    const filled = this.total === 0 ? BAR_WIDTH : Math.round((this.done / this.total) * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    const text = `${bar} ${this.line()}`;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r\x1b[2K${text.slice(0, Math.max(10, width - 1))}`);
  }

  private line(): string {
    return `${this.verb} ${this.done}/${this.total} sessions, ${this.spansSent} spans ${this.spanWord}`;
  }
}
