/**
 * Watches the main thread for stalls: a timer that should fire every `intervalMs` measures how late it
 * fires. The longest lateness since the last reset is what a client waiting on this thread would feel.
 */
export interface EventLoopMonitor {
  maxStallMs(): number;
  reset(): void;
  stop(): void;
}

export function monitorEventLoop(intervalMs = 10): EventLoopMonitor {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const stall = now - last - intervalMs;
    if (stall > max) max = stall;
    last = now;
  }, intervalMs);
  timer.unref();
  return {
    maxStallMs: () => Math.max(0, Math.round(max * 10) / 10),
    reset: () => {
      max = 0;
      last = performance.now();
    },
    stop: () => clearInterval(timer),
  };
}
